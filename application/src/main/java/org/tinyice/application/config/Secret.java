package org.tinyice.application.config;

/**
 * A password as the configuration file holds it: normally an Argon2id hash; a plaintext value a
 * person typed into the file is accepted once and rewritten hashed at start.
 */
public sealed interface Secret {

    /** An encoded hash, e.g. {@code $argon2id$v=19$m=19456,t=2,p=1$...}. */
    record Hashed(String encoded) implements Secret {
        @Override
        public String toString() {
            return "Hashed[***]";
        }
    }

    /** A password still in plain text (never written back to disk). */
    record Plain(String password) implements Secret {
        @Override
        public String toString() {
            return "Plain[***]";
        }
    }
}
