/**
 * Who may do what: the rules every entry point and use case asks (Permissions, the port AccessPolicy),
 * passwords and the one throttle every entry point shares (CredentialChecker, LoginThrottle), dashboard
 * accounts, sessions and API tokens, and how client addresses are recorded.
 */
package org.tinyice.application.access;
