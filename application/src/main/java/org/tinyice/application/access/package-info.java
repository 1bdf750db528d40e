/**
 * Who may do what: the rules every entry point and use case asks (Permissions, the port AccessPolicy),
 * passwords and the one throttle every entry point shares (CredentialChecker, LoginThrottle), dashboard
 * accounts, sessions and API tokens, how client addresses are recorded, and which addresses may connect
 * (AddressRules: banned and allowed addresses, the client behind a trusted proxy).
 */
package org.tinyice.application.access;
