package org.tinyice.application.service;

import java.util.concurrent.atomic.AtomicInteger;
import org.tinyice.application.config.Secret;
import org.tinyice.application.port.out.PasswordHasher;

/** A transparent, instant stand-in for Argon2id: {@code hash(p) = "$fake$" + p}. */
class FakePasswordHasher implements PasswordHasher {

    static final String PREFIX = "$fake$";

    final AtomicInteger hashes = new AtomicInteger();
    final AtomicInteger verifications = new AtomicInteger();

    static Secret.Hashed hashed(String password) {
        return new Secret.Hashed(PREFIX + password);
    }

    @Override
    public String hash(String password) {
        hashes.incrementAndGet();
        return PREFIX + password;
    }

    @Override
    public boolean verify(String password, String encoded) {
        verifications.incrementAndGet();
        return encoded.equals(PREFIX + password);
    }

    @Override
    public boolean isHash(String value) {
        return value.startsWith(PREFIX);
    }
}
