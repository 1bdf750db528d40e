package org.tinyice.adapters.persistence.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Argon2id through Bouncy Castle, stored in the PHC string format every Argon2 tool reads:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded base64). The defaults are OWASP's
 * minimum for Argon2id; parameters are read back from each stored hash, so they can be raised
 * later without breaking existing ones.
 *
 * <p>Each hash or check takes {@code memoryKiB} of memory (19 MiB by default) and a core for tens of
 * milliseconds, so at most {@value #MAX_CONCURRENT} run at once, whoever asks (logins, source and admin
 * checks, passwords set in the dashboard): a burst of requests waits instead of exhausting the heap.
 */
public final class Argon2PasswordHasher implements PasswordHasher {

    private static final String PREFIX = "$argon2id$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getDecoder();
    static final int MAX_CONCURRENT = 4;

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final SecureRandom random = new SecureRandom();
    private final Semaphore running = new Semaphore(MAX_CONCURRENT);

    public Argon2PasswordHasher(int memoryKiB, int iterations, int parallelism) {
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
    }

    /** OWASP's recommended minimum for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static Argon2PasswordHasher owaspDefaults() {
        return new Argon2PasswordHasher(19 * 1024, 2, 1);
    }

    @Override
    public String hash(String password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = bounded(() -> derive(password, salt, memoryKiB, iterations, parallelism, 32));
        return PREFIX + "v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public boolean verify(String password, String encoded) {
        try {
            String[] parts = encoded.split("\\$");
            // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
            if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                return false;
            }
            int m = 0;
            int t = 0;
            int p = 0;
            for (String parameter : parts[3].split(",")) {
                String[] kv = parameter.split("=", 2);
                if (kv.length != 2) {
                    return false;
                }
                int value = Integer.parseInt(kv[1]);
                switch (kv[0]) {
                    case "m" -> m = value;
                    case "t" -> t = value;
                    case "p" -> p = value;
                    default -> {
                        return false;
                    }
                }
            }
            if (m < 8 || m > 1 << 21 || t < 1 || t > 64 || p < 1 || p > 16) {
                return false; // refuse hashes that would make a check absurdly expensive
            }
            byte[] salt = B64_DECODE.decode(parts[4]);
            byte[] expected = B64_DECODE.decode(parts[5]);
            int memory = m;
            int passes = t;
            int lanes = p;
            byte[] actual = bounded(() -> derive(password, salt, memory, passes, lanes, expected.length));
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException | IllegalStateException e) { // bad number or base64; Bouncy Castle's checks
            return false;
        }
    }

    @Override
    public boolean isHash(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    private static byte[] derive(String password, byte[] salt, int memoryKiB, int iterations, int parallelism,
                                 int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private byte[] bounded(Supplier<byte[]> derivation) {
        running.acquireUninterruptibly();
        try {
            return derivation.get();
        } finally {
            running.release();
        }
    }
}
