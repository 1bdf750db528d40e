package org.tinyice.application.port.out;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every {@link PasswordHasher} must do. An adapter's test extends this class and gives a hasher
 * (with cheap parameters, if it has any: these tests hash many times).
 */
public abstract class PasswordHasherContract {

    protected abstract PasswordHasher hasher();

    @Test
    void verifiesThePasswordItHashed() {
        PasswordHasher hasher = hasher();

        String hash = hasher.hash("correct horse battery staple");

        assertTrue(hasher.verify("correct horse battery staple", hash));
    }

    @Test
    void refusesAnyOtherPassword() {
        PasswordHasher hasher = hasher();
        String hash = hasher.hash("hackme");

        assertFalse(hasher.verify("hackmE", hash));
        assertFalse(hasher.verify("hackm", hash));
        assertFalse(hasher.verify("hackme ", hash));
        assertFalse(hasher.verify(" hackme", hash));
        assertFalse(hasher.verify("", hash));
        assertFalse(hasher.verify(hash, hash), "the hash itself is not the password");
    }

    @Test
    void doesNotStoreThePassword() {
        String hash = hasher().hash("hackme-secret");

        assertFalse(hash.contains("hackme-secret"));
    }

    @Test
    void saltsEachHash() {
        PasswordHasher hasher = hasher();

        String first = hasher.hash("hackme");
        String second = hasher.hash("hackme");

        assertNotEquals(first, second);
        assertTrue(hasher.verify("hackme", first));
        assertTrue(hasher.verify("hackme", second));
    }

    @Test
    void recognisesItsOwnHashes() {
        PasswordHasher hasher = hasher();

        assertTrue(hasher.isHash(hasher.hash("hackme")));
        assertTrue(hasher.isHash(hasher.hash("")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "hackme", "", " ", "$", "correct horse battery staple"})
    void takesOtherValuesForPlainPasswords(String value) {
        assertFalse(hasher().isHash(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "garbage",
        "",
        "$",
        "$$$$$",
        "$argon2id$",
        "$argon2id$v=19$m=1024,t=1,p=1$",
        "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$",
        "$argon2id$v=19$m=1024,t=1,p=1$$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=x,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1,q=2$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=99999999999,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1$!!!not-base64!!!$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$!!!not-base64!!!",
        "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$AA",
        "$argon2id$v=19$m=1024,t=1,p=1$c2E$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="
    })
    void saysNoToAMalformedHashWithoutThrowing(String malformed) {
        PasswordHasher hasher = hasher();

        assertFalse(assertDoesNotThrow(() -> hasher.verify("password", malformed)));
        assertFalse(assertDoesNotThrow(() -> hasher.verify("", malformed)));
    }

    @Test
    void saysNoToAHashWithOneCharacterChanged() {
        PasswordHasher hasher = hasher();
        String hash = hasher.hash("hackme");
        // not the last character: in unpadded base64 its lowest bits may be padding that decoders ignore
        int at = hash.length() - 8;
        String tampered = hash.substring(0, at) + (hash.charAt(at) == 'A' ? 'B' : 'A') + hash.substring(at + 1);

        assertFalse(assertDoesNotThrow(() -> hasher.verify("hackme", tampered)));
    }

    @Test
    void handlesUnicodePasswords() {
        PasswordHasher hasher = hasher();
        String password = "p\u00e4ssw\u00f6rd \u5bc6\u7801 \u043f\u0430\u0440\u043e\u043b\u044c \ud83d\udd11";

        String hash = hasher.hash(password);

        assertTrue(hasher.verify(password, hash));
        assertFalse(hasher.verify("passw\u00f6rd \u5bc6\u7801 \u043f\u0430\u0440\u043e\u043b\u044c \ud83d\udd11", hash));
        assertFalse(hasher.verify("p\u00e4ssw\u00f6rd \u5bc6\u7801 \u043f\u0430\u0440\u043e\u043b\u044c \ud83d\udd12", hash));
    }

    @Test
    void usesEveryCharacterOfALongPassword() {
        PasswordHasher hasher = hasher();
        String prefix = "x".repeat(200);

        String hash = hasher.hash(prefix + "1");

        assertTrue(hasher.verify(prefix + "1", hash));
        assertFalse(hasher.verify(prefix + "2", hash), "a password must not be cut short (bcrypt stops at 72 bytes)");
    }
}
