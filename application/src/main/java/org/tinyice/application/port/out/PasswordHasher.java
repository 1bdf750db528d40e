package org.tinyice.application.port.out;

/**
 * Turns passwords into slow, salted hashes and checks them. A check costs milliseconds of CPU on
 * purpose; callers that may be asked often cache successful checks (see {@code CredentialChecker}).
 */
public interface PasswordHasher {

    /** A new salted hash of {@code password}, self-describing (algorithm and parameters included). */
    String hash(String password);

    /** Whether {@code password} matches {@code encoded}; false (never an exception) for a malformed hash. */
    boolean verify(String password, String encoded);

    /** Whether {@code value} looks like a hash this hasher produced (else it is a plaintext password). */
    boolean isHash(String value);
}
