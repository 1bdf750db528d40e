package org.tinyice.adapters.persistence.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.application.port.out.PasswordHasherContract;

class Argon2PasswordHasherTest extends PasswordHasherContract {

    /** {@code $argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>}, unpadded standard base64. */
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

    @Override
    protected PasswordHasher hasher() {
        return new Argon2PasswordHasher(1024, 1, 1); // cheap: the contract hashes many times
    }

    @Test
    void owaspDefaultsHashAndVerify() {
        Argon2PasswordHasher hasher = Argon2PasswordHasher.owaspDefaults();

        String hash = hasher.hash("hackme");

        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        assertTrue(hasher.verify("hackme", hash));
        assertFalse(hasher.verify("hackMe", hash));
    }

    @Test
    void writesThePhcStringFormat() {
        String hash = new Argon2PasswordHasher(2048, 3, 2).hash("hackme");

        Matcher phc = PHC.matcher(hash);
        assertTrue(phc.matches(), hash);
        assertTrue(phc.group(1).equals("2048") && phc.group(2).equals("3") && phc.group(3).equals("2"), hash);
        assertTrue(Base64.getDecoder().decode(phc.group(4)).length == 16, "16-byte salt: " + hash);
        assertTrue(Base64.getDecoder().decode(phc.group(5)).length == 32, "32-byte hash: " + hash);
    }

    @Test
    void readsTheParametersFromEachHash() {
        String cheap = new Argon2PasswordHasher(1024, 1, 1).hash("hackme");
        String other = new Argon2PasswordHasher(2048, 2, 2).hash("hackme");

        assertTrue(Argon2PasswordHasher.owaspDefaults().verify("hackme", cheap));
        assertTrue(new Argon2PasswordHasher(1024, 1, 1).verify("hackme", other));
    }

    @Test
    void verifiesHashesMadeByTheReferenceImplementation() {
        // phc-winner-argon2 src/test.c: hashtest(version, 2, 8, 1, "password", "somesalt", ...) and p=2
        PasswordHasher hasher = hasher();
        String p1 = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";
        String p2 = "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc";

        assertTrue(hasher.isHash(p1));
        assertTrue(hasher.verify("password", p1));
        assertTrue(hasher.verify("password", p2));
        assertFalse(hasher.verify("Password", p1));
    }

    @Test
    void refusesParametersThatWouldMakeACheckAbsurdlyExpensive() {
        PasswordHasher hasher = hasher();
        String salt = "c29tZXNhbHRzb21lc2FsdA";
        String hash = "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4";

        assertFalse(hasher.verify("password", "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + hash));
        assertFalse(hasher.verify("password", "$argon2id$v=19$m=1024,t=1000,p=1$" + salt + "$" + hash));
        assertFalse(hasher.verify("password", "$argon2id$v=19$m=1024,t=1,p=255$" + salt + "$" + hash));
    }
}
