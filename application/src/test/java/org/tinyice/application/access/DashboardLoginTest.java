package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.fixtures.CountingHasher;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.LogInUseCase.DashboardSession;
import org.tinyice.application.port.in.LogInUseCase.LogInCommand;
import org.tinyice.application.port.in.LogInUseCase.LogInResult;
import org.tinyice.application.port.in.ManageLockoutsUseCase.LiftResult;

class DashboardLoginTest {

    final TestClock clock = new TestClock();
    final CountingHasher hasher = new CountingHasher();
    final CurrentConfig config = new CurrentConfig(config(List.of(
            new UserAccount("dj-anna", CountingHasher.hashed("anna-pass"), Role.DJ, Set.of("/anna")))));
    final DashboardSessions sessions = new DashboardSessions(clock, () -> config.get().dashboard());
    final LoginThrottle throttle = new LoginThrottle(clock, () -> config.get().dashboard());
    final DashboardLogin login = new DashboardLogin(
            new CredentialChecker(hasher, config, throttle, clock, CredentialChecker.SLOT_WAIT), config, sessions,
            throttle, new Permissions());

    static ServerConfig config(List<UserAccount> users) {
        ServerConfig d = ServerConfig.defaults();
        return d.withCredentials("admin", Optional.of(CountingHasher.hashed("admin-pass")), d.sourcePassword(),
                d.mounts()).withUsers(users);
    }

    LogInResult logIn(String user, String password) {
        return login.logIn(new LogInCommand(user, password, "192.0.2.1", Optional.empty()));
    }

    DashboardSession loggedIn(String user, String password) {
        return assertInstanceOf(LogInResult.LoggedIn.class, logIn(user, password)).session();
    }

    @Test
    void theConfiguredAdminLogsInAsAdmin() {
        DashboardSession session = loggedIn("admin", "admin-pass");
        assertTrue(session.user().isAdmin());
        assertTrue(new Permissions().allows(session.user(), Action.EDIT_MOUNT, "/anything"));
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)), session.expiresAt());
        assertEquals(session.user(), login.resume(session.id()).orElseThrow().user());
    }

    @Test
    void aDjLogsInAndMayControlOnlyItsMounts() {
        DashboardSession session = loggedIn("dj-anna", "anna-pass");
        assertFalse(session.user().isAdmin());
        assertTrue(new Permissions().allows(session.user(), Action.EDIT_MOUNT, "/anna"));
        assertFalse(new Permissions().allows(session.user(), Action.EDIT_MOUNT, "/bob"));
    }

    @Test
    void wrongPasswordAndUnknownUserAreRejectedAlikeAndCostOneCheckEach() {
        hasher.verifications.set(0);
        assertInstanceOf(LogInResult.Rejected.class, logIn("admin", "wrong"));
        assertEquals(1, hasher.verifications.get());
        assertInstanceOf(LogInResult.Rejected.class, logIn("nobody", "admin-pass"));
        assertEquals(2, hasher.verifications.get(), "an unknown user is checked against a dummy hash");
        assertInstanceOf(LogInResult.Rejected.class, logIn("", ""));
        assertEquals(3, hasher.verifications.get());
    }

    @Test
    void fiveFailuresLockTheAddressEvenForTheRightPassword() {
        for (int i = 0; i < 4; i++) {
            assertInstanceOf(LogInResult.Rejected.class, logIn("admin", "guess" + i));
        }
        LogInResult.LockedOut locked = assertInstanceOf(LogInResult.LockedOut.class, logIn("nobody", "guess"));
        assertEquals(clock.instant().plus(Duration.ofMinutes(15)), locked.until());
        int checks = hasher.verifications.get();
        assertInstanceOf(LogInResult.LockedOut.class, logIn("admin", "admin-pass"));
        assertEquals(checks, hasher.verifications.get(), "no password is checked while locked out");
        assertInstanceOf(LogInResult.LoggedIn.class, login.logIn(
                new LogInCommand("admin", "admin-pass", "192.0.2.99", Optional.empty())), "other addresses log in");
        clock.advance(Duration.ofMinutes(15));
        assertInstanceOf(LogInResult.LoggedIn.class, logIn("admin", "admin-pass"));
    }

    @Test
    void concurrentLoginsAreCheckedAgainstTheLockoutAfterWaitingForAHashingSlot() throws Exception {
        SlowCountingHasher slow = new SlowCountingHasher();
        DashboardLogin flooded = new DashboardLogin(
                new CredentialChecker(slow, config, throttle, clock, Duration.ofSeconds(10)), config, sessions, throttle,
                new Permissions());
        List<Thread> guesses = new java.util.ArrayList<>();
        java.util.Queue<LogInResult> results = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int i = 0; i < 50; i++) {
            String guess = "guess" + i;
            guesses.add(Thread.ofVirtual().start(() -> results.add(flooded.logIn(
                    new LogInCommand("admin", guess, "192.0.2.1", Optional.empty())))));
        }
        for (Thread t : guesses) {
            t.join();
        }
        assertTrue(slow.verifications.get() <= 6, slow.verifications + " hashes for 5 allowed failures");
        assertTrue(results.stream().filter(r -> r instanceof LogInResult.LockedOut).count() >= 45);
    }

    /** {@link CountingHasher} at Argon2id's pace, so that logins overlap. */
    static final class SlowCountingHasher extends CountingHasher {
        @Override
        public boolean verify(String password, String encoded) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.verify(password, encoded);
        }
    }

    @Test
    void onlyAnAdminSeesAndLiftsLockouts() {
        for (int i = 0; i < 5; i++) {
            login.logIn(new LogInCommand("admin", "x" + i, "198.51.100.7", Optional.empty()));
        }
        DashboardSession admin = loggedIn("admin", "admin-pass");
        DashboardSession dj = loggedIn("dj-anna", "anna-pass");
        assertTrue(login.lockouts(dj.user()).isEmpty());
        assertEquals("198.51.100.7", login.lockouts(admin.user()).orElseThrow().getFirst().address());
        assertInstanceOf(LiftResult.Forbidden.class, login.lift(dj.user(), "198.51.100.7"));
        assertInstanceOf(LiftResult.Lifted.class, login.lift(admin.user(), "198.51.100.7"));
        assertInstanceOf(LogInResult.LoggedIn.class, login.logIn(
                new LogInCommand("admin", "admin-pass", "198.51.100.7", Optional.empty())));
    }

    @Test
    void loginGivesANewIdAndEndsThePreviousSession() {
        DashboardSession first = loggedIn("admin", "admin-pass");
        DashboardSession second = assertInstanceOf(LogInResult.LoggedIn.class, login.logIn(
                new LogInCommand("admin", "admin-pass", "192.0.2.1", Optional.of(first.id())))).session();
        assertNotEquals(first.id(), second.id());
        assertNotEquals(first.csrfToken(), second.csrfToken());
        assertTrue(login.resume(first.id()).isEmpty(), "the id the client had is dead");
        assertTrue(login.resume(second.id()).isPresent());
    }

    @Test
    void logoutEndsTheSession() {
        DashboardSession session = loggedIn("admin", "admin-pass");
        login.logOut(session.id());
        assertTrue(login.resume(session.id()).isEmpty());
        assertTrue(login.peek(session.id()).isEmpty());
    }

    @Test
    void aUserRemovedFromTheConfigurationLosesItsSessionsAndARoleChangeAppliesAtOnce() {
        DashboardSession session = loggedIn("dj-anna", "anna-pass");
        config.replace(config(List.of(new UserAccount("dj-anna", CountingHasher.hashed("anna-pass"), Role.DJ,
                Set.of("/anna", "/second")))));
        assertTrue(new Permissions().allows(login.resume(session.id()).orElseThrow().user(), Action.EDIT_MOUNT,
                "/second"));
        config.replace(config(List.of()));
        assertTrue(login.resume(session.id()).isEmpty());
        config.replace(config(List.of(new UserAccount("dj-anna", CountingHasher.hashed("anna-pass"), Role.DJ,
                Set.of("/anna")))));
        assertTrue(login.resume(session.id()).isEmpty(), "re-adding the name does not revive the old session");
    }

    @Test
    void theCsrfTokenMustMatchExactly() {
        DashboardSession session = loggedIn("admin", "admin-pass");
        assertTrue(session.csrfMatches(session.csrfToken()));
        assertFalse(session.csrfMatches(null));
        assertFalse(session.csrfMatches(""));
        assertFalse(session.csrfMatches(session.csrfToken().substring(1)));
        DashboardSession other = loggedIn("admin", "admin-pass");
        assertFalse(other.csrfMatches(session.csrfToken()), "another session's token is stale here");
    }

    @Test
    void aSessionExpiresWhileIdle() {
        DashboardSession session = loggedIn("admin", "admin-pass");
        clock.advance(Duration.ofMinutes(30));
        assertTrue(login.peek(session.id()).isEmpty());
    }
}
