package org.tinyice.application.access;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable tokens: session ids and CSRF tokens, 256 bits from {@link SecureRandom}. */
final class Tokens {

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random = new SecureRandom();

    /** 32 random bytes as 43 URL-safe characters (fits a cookie and a header as is). */
    String next() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }

    /**
     * Sessions are stored under a SHA-256 of their id: a heap dump or a log of the map holds nothing a
     * client could send back.
     */
    static String digest(String token) {
        return Sha256.hex(token);
    }
}
