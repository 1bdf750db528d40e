package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.fixtures.FakePasswordHasher;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.CheckCredentialsUseCase.Verdict;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.out.PasswordHasher;

class CredentialCheckerTest {

    private static final String ADMIN_HASH = "H(admin-pw)";
    private static final String SOURCE_HASH = "H(source-pw)";
    private static final String MOUNT_HASH = "H(mount-pw)";
    private static final String DUMMY_HASH = "H(dummy)";
    private static final String HOME = "192.0.2.1";

    private final PasswordHasher hasher = mock(PasswordHasher.class);
    private final TestClock clock = new TestClock();
    private final AtomicReference<ServerConfig> config = new AtomicReference<>();
    private final LoginThrottle throttle = new LoginThrottle(clock, () -> config.get().dashboard());
    private CredentialChecker checker;

    @BeforeEach
    void setUp() {
        config.set(ServerConfig.defaults().withCredentials("admin",
                Optional.of(new Secret.Hashed(ADMIN_HASH)), Optional.of(new Secret.Hashed(SOURCE_HASH)),
                Map.of("/private", MountConfig.defaultsFor("/private").withPassword(new Secret.Hashed(MOUNT_HASH)))));
        when(hasher.verify("admin-pw", ADMIN_HASH)).thenReturn(true);
        when(hasher.verify("source-pw", SOURCE_HASH)).thenReturn(true);
        when(hasher.verify("mount-pw", MOUNT_HASH)).thenReturn(true);
        when(hasher.hash(anyString())).thenReturn(DUMMY_HASH);
        checker = new CredentialChecker(hasher, config::get, throttle, clock, CredentialChecker.SLOT_WAIT);
    }

    private static Optional<Credentials> creds(String user, String password) {
        return Optional.of(new Credentials(user, password));
    }

    private boolean isAdmin(String user, String password) {
        return checker.checkAdmin(creds(user, password), HOME).accepted();
    }

    private boolean maySource(String mount, String user, String password) {
        return checker.checkSource(mount, creds(user, password), HOME).accepted();
    }

    @Test
    void theRelayAccountNeedsItsNameAndAPasswordSetInTheFile() {
        assertFalse(checker.checkRelay(creds("relay", ""), HOME).accepted(), "no relay_password: nobody");
        config.set(config.get().withRelayAccount("relay", Optional.of(new Secret.Hashed("H(relay-pw)"))));
        when(hasher.verify("relay-pw", "H(relay-pw)")).thenReturn(true);
        assertTrue(checker.checkRelay(creds("relay", "relay-pw"), HOME).accepted());
        assertFalse(checker.checkRelay(creds("relay", "admin-pw"), HOME).accepted());
        assertFalse(checker.checkRelay(creds("admin", "relay-pw"), HOME).accepted());
        assertFalse(isAdmin("relay", "relay-pw"), "the relay account is not an admin");
    }

    @Test
    void adminNeedsTheAdminUserAndPassword() {
        assertTrue(isAdmin("admin", "admin-pw"));
        assertFalse(isAdmin("admin", "wrong"));
        assertFalse(isAdmin("admin", "source-pw"));
    }

    @Test
    void theRightPasswordUnderAnotherUserNameIsNotAdminAndCostsOneCheckLikeAKnownName() {
        assertFalse(isAdmin("root", "admin-pw"));
        verify(hasher, never()).verify("admin-pw", ADMIN_HASH);
        verify(hasher, times(1)).verify("admin-pw", DUMMY_HASH);
    }

    @Test
    void noCredentialsAreNeverAccepted() {
        assertInstanceOf(Verdict.Rejected.class, checker.checkAdmin(Credentials.none(), HOME));
        assertInstanceOf(Verdict.Rejected.class, checker.checkSource("/live", Credentials.none(), HOME));
        verifyNoInteractions(hasher);
    }

    @Test
    void noConfiguredPasswordAcceptsNobody() {
        config.set(ServerConfig.defaults());
        assertFalse(isAdmin("admin", ""));
        assertFalse(maySource("/live", "source", ""));
    }

    @Test
    void aSuccessfulCheckIsRememberedForSixtySeconds() {
        assertTrue(isAdmin("admin", "admin-pw"));
        clock.advance(Duration.ofSeconds(59));
        assertTrue(isAdmin("admin", "admin-pw"));
        verify(hasher, times(1)).verify("admin-pw", ADMIN_HASH);

        clock.advance(Duration.ofSeconds(2)); // 61 s after the first check
        assertTrue(isAdmin("admin", "admin-pw"));
        verify(hasher, times(2)).verify("admin-pw", ADMIN_HASH);
    }

    @Test
    void aFailedCheckIsRememberedBrieflyAndCountsOnce() {
        for (int i = 0; i < 10; i++) {
            assertFalse(isAdmin("admin", "wrong"));
            assertFalse(maySource("/live", "source", "wrong"));
        }
        verify(hasher, times(1)).verify("wrong", ADMIN_HASH);
        verify(hasher, times(1)).verify("wrong", SOURCE_HASH);
        assertTrue(isAdmin("admin", "admin-pw"), "a repeated wrong password is not a new guess: no lockout");

        clock.advance(CredentialChecker.REMEMBER_FAILURE);
        assertFalse(isAdmin("admin", "wrong"));
        verify(hasher, times(2)).verify("wrong", ADMIN_HASH);
    }

    @Test
    void aRememberedSuccessDoesNotOutliveAPasswordChange() {
        assertTrue(isAdmin("admin", "admin-pw"));
        config.set(config.get().withCredentials("admin", Optional.of(new Secret.Hashed("H(new)")),
                config.get().sourcePassword(), config.get().mounts()));
        assertFalse(isAdmin("admin", "admin-pw"), "the old password must stop working at once");
        verify(hasher).verify("admin-pw", "H(new)");
    }

    @Test
    void aMountsOwnPasswordWinsOverTheGlobalSourcePassword() {
        assertTrue(maySource("/private", "source", "mount-pw"));
        assertFalse(maySource("/private", "source", "source-pw"));
        assertTrue(maySource("/live", "source", "source-pw"));
        assertFalse(maySource("/live", "source", "mount-pw"));
    }

    @Test
    void sourceUserNamesAreNotChecked() {
        assertTrue(maySource("/live", "whoever", "source-pw"));
        assertTrue(maySource("/live", "", "source-pw"));
    }

    @Test
    void aPlainSecretIsComparedDirectlyWithoutTheHasher() {
        config.set(ServerConfig.defaults().withCredentials("admin", Optional.of(new Secret.Plain("typed-admin")),
                Optional.of(new Secret.Plain("typed")), Map.of()));
        assertTrue(maySource("/live", "source", "typed"));
        assertFalse(maySource("/live", "source", "typed!"));
        assertFalse(maySource("/live", "source", ""));
        assertTrue(isAdmin("admin", "typed-admin"));
        assertFalse(isAdmin("admin", "typed"));
        verifyNoInteractions(hasher);
    }

    @Test
    void aLockedOutAddressIsRefusedWithoutAHashEvenWithTheRightPassword() {
        for (int i = 1; i < 5; i++) {
            assertInstanceOf(Verdict.Rejected.class, checker.checkAdmin(creds("admin", "guess" + i), HOME));
        }
        Verdict.LockedOut fifth = assertInstanceOf(Verdict.LockedOut.class,
                checker.checkAdmin(creds("admin", "guess5"), HOME));
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), fifth.until());

        assertEquals(fifth, checker.checkAdmin(creds("admin", "admin-pw"), HOME), "answered as any other guess");
        assertEquals(fifth, checker.checkSource("/live", creds("source", "source-pw"), HOME), "on every entry point");
        verify(hasher, never()).verify("admin-pw", ADMIN_HASH);
        verify(hasher, never()).verify("source-pw", SOURCE_HASH);
        assertTrue(checker.checkAdmin(creds("admin", "admin-pw"), "198.51.100.9").accepted(), "other addresses pass");

        clock.advance(Duration.ofMinutes(15));
        assertTrue(isAdmin("admin", "admin-pw"), "over after the lockout");
    }

    @Test
    void failuresOnEveryEntryPointAddUp() {
        checker.checkAdmin(creds("admin", "a"), HOME);
        checker.checkSource("/live", creds("source", "b"), HOME);
        checker.checkAdminOrSource("/live", creds("source", "c"), HOME);
        checker.checkAccount(new Credentials("dj-anna", "d"), Optional.empty(), HOME);
        assertInstanceOf(Verdict.LockedOut.class, checker.checkAccount(new Credentials("admin", "e"),
                Optional.of(new Secret.Hashed(ADMIN_HASH)), HOME));
        assertEquals(List.of(HOME), throttle.lockouts().stream().map(l -> l.address()).toList());
    }

    @Test
    void anAccountGuessedFromManyAddressesIsLockedOutEverywhere() {
        int limit = ServerConfig.defaults().dashboard().maxFailedLogins() * LoginThrottle.ACCOUNT_FACTOR;
        for (int i = 0; i < limit; i++) {
            checker.checkAdmin(creds("admin", "guess" + i), "203.0.113." + (i / 2));
        }
        assertInstanceOf(Verdict.LockedOut.class, checker.checkAdmin(creds("admin", "admin-pw"), "198.51.100.9"));
        verify(hasher, never()).verify("admin-pw", ADMIN_HASH);
        assertTrue(maySource("/live", "source", "source-pw"), "other accounts are not touched");
        assertTrue(throttle.lockouts().stream().anyMatch(l -> l.address().equals("user admin")));
        assertTrue(throttle.lift("user admin"));
        assertTrue(checker.checkAdmin(creds("admin", "admin-pw"), "198.51.100.9").accepted());
    }

    @Test
    void aFloodOfOneWrongPasswordCostsAHashPerSlotAndLocksNobodyOut() throws Exception {
        SlowHasher slow = new SlowHasher();
        CredentialChecker flooded = slowChecker(slow, Duration.ofSeconds(5));
        List<Verdict> verdicts = all(100, i -> flooded.checkSource("/live", creds("source", "wrong"), HOME));
        assertTrue(verdicts.stream().allMatch(v -> v instanceof Verdict.Rejected), verdicts.toString());
        assertTrue(slow.verifications.get() <= CredentialChecker.CONCURRENT_HASHES, slow.verifications + " hashes");
        assertTrue(flooded.checkAdmin(creds("admin", "admin-pw"), HOME).accepted());
    }

    @Test
    void concurrentGuessesAreCheckedAgainstTheLockoutAgainAfterTheWait() throws Exception {
        SlowHasher slow = new SlowHasher();
        CredentialChecker flooded = slowChecker(slow, Duration.ofSeconds(5));
        List<Verdict> verdicts = all(100, i -> flooded.checkSource("/live", creds("source", "guess" + i), HOME));
        int limit = ServerConfig.defaults().dashboard().maxFailedLogins();
        assertTrue(slow.verifications.get() < limit + CredentialChecker.CONCURRENT_HASHES,
                slow.verifications + " hashes for " + limit + " allowed failures");
        assertTrue(verdicts.stream().filter(v -> v instanceof Verdict.LockedOut).count() >= 100 - limit);
    }

    @Test
    void aCheckThatGetsNoHashingSlotInTimeIsBusy() throws Exception {
        SlowHasher stuck = new SlowHasher();
        stuck.gate = new CountDownLatch(1);
        CredentialChecker busy = slowChecker(stuck, Duration.ofMillis(100));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<Verdict>> holding = new ArrayList<>();
            for (int i = 0; i < CredentialChecker.CONCURRENT_HASHES; i++) {
                int n = i;
                holding.add(pool.submit(() -> busy.checkSource("/live", creds("source", "x" + n), HOME)));
            }
            while (stuck.started.get() < CredentialChecker.CONCURRENT_HASHES) {
                Thread.sleep(5);
            }
            assertInstanceOf(Verdict.Busy.class, busy.checkAdmin(creds("admin", "admin-pw"), HOME));
            stuck.gate.countDown();
            for (Future<Verdict> f : holding) {
                assertInstanceOf(Verdict.Rejected.class, f.get(5, TimeUnit.SECONDS));
            }
            assertTrue(busy.checkAdmin(creds("admin", "admin-pw"), HOME).accepted(), "a busy answer is not a failure");
        } finally {
            pool.shutdownNow();
        }
    }

    /** A checker hashing with {@code hasher}, which the configured passwords are hashed for. */
    private CredentialChecker slowChecker(SlowHasher hasher, Duration slotWait) {
        config.set(config.get().withCredentials("admin", Optional.of(FakePasswordHasher.hashed("admin-pw")),
                Optional.of(FakePasswordHasher.hashed("source-pw")), Map.of()));
        return new CredentialChecker(hasher, config::get, throttle, clock, slotWait);
    }

    private static List<Verdict> all(int n, java.util.function.IntFunction<Verdict> check) throws Exception {
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Verdict>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return check.apply(k);
                }));
            }
            start.countDown();
            List<Verdict> verdicts = new ArrayList<>();
            for (Future<Verdict> f : futures) {
                verdicts.add(f.get(10, TimeUnit.SECONDS));
            }
            return verdicts;
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link FakePasswordHasher} taking its time like Argon2id, or until {@link #gate} opens. */
    private static final class SlowHasher extends FakePasswordHasher {
        final AtomicInteger started = new AtomicInteger();
        volatile CountDownLatch gate;

        @Override
        public boolean verify(String password, String encoded) {
            started.incrementAndGet();
            try {
                if (gate != null) {
                    gate.await(10, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.verify(password, encoded);
        }
    }
}
