/**
 * Who may do what: passwords and the one throttle every entry point shares (CredentialChecker,
 * LoginThrottle), dashboard accounts, sessions and API tokens, and how client addresses are
 * recorded.
 */
package org.tinyice.application.access;
