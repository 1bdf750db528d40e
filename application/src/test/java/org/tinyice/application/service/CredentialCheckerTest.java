package org.tinyice.application.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.out.PasswordHasher;

class CredentialCheckerTest {

    private static final long SECOND = 1_000_000_000L;
    private static final String ADMIN_HASH = "H(admin-pw)";
    private static final String SOURCE_HASH = "H(source-pw)";
    private static final String MOUNT_HASH = "H(mount-pw)";

    private final PasswordHasher hasher = mock(PasswordHasher.class);
    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final AtomicReference<ServerConfig> config = new AtomicReference<>();
    private CredentialChecker checker;

    @BeforeEach
    void setUp() {
        config.set(ServerConfig.defaults().withCredentials("admin",
                Optional.of(new Secret.Hashed(ADMIN_HASH)), Optional.of(new Secret.Hashed(SOURCE_HASH)),
                Map.of("/private", MountConfig.defaultsFor("/private").withPassword(new Secret.Hashed(MOUNT_HASH)))));
        when(hasher.verify("admin-pw", ADMIN_HASH)).thenReturn(true);
        when(hasher.verify("source-pw", SOURCE_HASH)).thenReturn(true);
        when(hasher.verify("mount-pw", MOUNT_HASH)).thenReturn(true);
        checker = new CredentialChecker(hasher, config::get, clock::get);
    }

    private static Optional<Credentials> creds(String user, String password) {
        return Optional.of(new Credentials(user, password));
    }

    @Test
    void adminNeedsTheAdminUserAndPassword() {
        assertTrue(checker.isAdmin(creds("admin", "admin-pw")));
        assertFalse(checker.isAdmin(creds("admin", "wrong")));
        assertFalse(checker.isAdmin(creds("admin", "source-pw")));
    }

    @Test
    void theRightPasswordUnderAnotherUserNameIsNotAdmin() {
        assertFalse(checker.isAdmin(creds("root", "admin-pw")));
        verify(hasher, never()).verify(anyString(), anyString());
    }

    @Test
    void noCredentialsAreNeverAccepted() {
        assertFalse(checker.isAdmin(Credentials.none()));
        assertFalse(checker.maySource("/live", Credentials.none()));
        verifyNoInteractions(hasher);
    }

    @Test
    void noConfiguredPasswordAcceptsNobody() {
        config.set(ServerConfig.defaults());
        assertFalse(checker.isAdmin(creds("admin", "")));
        assertFalse(checker.maySource("/live", creds("source", "")));
    }

    @Test
    void aSuccessfulCheckIsRememberedForSixtySeconds() {
        assertTrue(checker.isAdmin(creds("admin", "admin-pw")));
        clock.addAndGet(59 * SECOND);
        assertTrue(checker.isAdmin(creds("admin", "admin-pw")));
        verify(hasher, times(1)).verify("admin-pw", ADMIN_HASH);

        clock.addAndGet(2 * SECOND); // 61 s after the first check
        assertTrue(checker.isAdmin(creds("admin", "admin-pw")));
        verify(hasher, times(2)).verify("admin-pw", ADMIN_HASH);
    }

    @Test
    void failedChecksAreNeverRemembered() {
        assertFalse(checker.isAdmin(creds("admin", "wrong")));
        assertFalse(checker.isAdmin(creds("admin", "wrong")));
        verify(hasher, times(2)).verify("wrong", ADMIN_HASH);

        assertFalse(checker.maySource("/live", creds("source", "wrong")));
        assertFalse(checker.maySource("/live", creds("source", "wrong")));
        verify(hasher, times(2)).verify("wrong", SOURCE_HASH);
    }

    @Test
    void aRememberedSuccessDoesNotOutliveAPasswordChange() {
        assertTrue(checker.isAdmin(creds("admin", "admin-pw")));
        config.set(config.get().withCredentials("admin", Optional.of(new Secret.Hashed("H(new)")),
                config.get().sourcePassword(), config.get().mounts()));
        assertFalse(checker.isAdmin(creds("admin", "admin-pw")), "the old password must stop working at once");
        verify(hasher).verify("admin-pw", "H(new)");
    }

    @Test
    void aMountsOwnPasswordWinsOverTheGlobalSourcePassword() {
        assertTrue(checker.maySource("/private", creds("source", "mount-pw")));
        assertFalse(checker.maySource("/private", creds("source", "source-pw")));
        assertTrue(checker.maySource("/live", creds("source", "source-pw")));
        assertFalse(checker.maySource("/live", creds("source", "mount-pw")));
    }

    @Test
    void sourceUserNamesAreNotChecked() {
        assertTrue(checker.maySource("/live", creds("whoever", "source-pw")));
        assertTrue(checker.maySource("/live", creds("", "source-pw")));
    }

    @Test
    void aPlainSecretIsComparedDirectlyWithoutTheHasher() {
        config.set(ServerConfig.defaults().withCredentials("admin", Optional.of(new Secret.Plain("typed-admin")),
                Optional.of(new Secret.Plain("typed")), Map.of()));
        assertTrue(checker.maySource("/live", creds("source", "typed")));
        assertFalse(checker.maySource("/live", creds("source", "typed!")));
        assertFalse(checker.maySource("/live", creds("source", "")));
        assertTrue(checker.isAdmin(creds("admin", "typed-admin")));
        assertFalse(checker.isAdmin(creds("admin", "typed")));
        verifyNoInteractions(hasher);
    }
}
