package org.tinyice.application.dashboard;

import java.util.concurrent.atomic.AtomicInteger;
import org.tinyice.application.config.Secret;
import org.tinyice.application.port.out.PasswordHasher;

/** An instant stand-in for Argon2id that counts its checks: {@code hash(p) = "$fake$" + p}. */
class CountingHasher implements PasswordHasher {

    final AtomicInteger verifications = new AtomicInteger();

    static Secret.Hashed hashed(String password) {
        return new Secret.Hashed("$fake$" + password);
    }

    @Override
    public String hash(String password) {
        return "$fake$" + password;
    }

    @Override
    public boolean verify(String password, String encoded) {
        verifications.incrementAndGet();
        return encoded.equals("$fake$" + password);
    }

    @Override
    public boolean isHash(String value) {
        return value.startsWith("$fake$");
    }
}
