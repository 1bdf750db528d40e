package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.configuration.PrepareConfiguration;
import org.tinyice.application.fixtures.CountingHasher;
import org.tinyice.application.fixtures.SavedConfigs;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.LogInUseCase.DashboardSession;
import org.tinyice.application.port.in.LogInUseCase.LogInCommand;
import org.tinyice.application.port.in.LogInUseCase.LogInResult;
import org.tinyice.application.port.in.ManageUsersUseCase.AddUserCommand;
import org.tinyice.application.port.in.ManageUsersUseCase.EditUserCommand;
import org.tinyice.application.port.in.ManageUsersUseCase.UserChange;

class UserAdministrationTest {

    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser DJ = new DashboardUser("dj-anna", Role.DJ, Set.of("/anna"));

    final TestClock clock = new TestClock();
    final CountingHasher hasher = new CountingHasher();
    final SavedConfigs store = new SavedConfigs();
    final CurrentConfig config = new CurrentConfig(DashboardLoginTest.config(List.of()));
    final DashboardSessions sessions = new DashboardSessions(clock, () -> config.get().dashboard());
    final UserAdministration users = new UserAdministration(new ConfigChanges(config, store), hasher, sessions,
            new Permissions());
    final LoginThrottle throttle = new LoginThrottle(clock, () -> config.get().dashboard());
    final DashboardLogin login = new DashboardLogin(
            new CredentialChecker(hasher, config, throttle, clock, CredentialChecker.SLOT_WAIT), config, sessions,
            throttle, new Permissions());

    {
        store.initial = config.get();
    }

    UserChange edit(DashboardUser actor, EditUserCommand command) {
        return users.editUser(actor, command, Optional.empty());
    }

    /** The file: what was there at start ({@code initial}), then every save. */

    @Test
    void anAddedUserIsSavedHashedAndCanLogIn() {
        assertInstanceOf(UserChange.Done.class,
                users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob"))));
        UserAccount saved = store.saved.getLast().users().getFirst();
        assertEquals("dj-bob", saved.name());
        assertEquals(new Secret.Hashed("$fake$bob-password"), saved.password());
        assertEquals(store.saved.getLast().users(), config.get().users(), "in force at once");
        assertInstanceOf(LogInResult.LoggedIn.class,
                login.logIn(new LogInCommand("dj-bob", "bob-password", "192.0.2.1", Optional.empty())));
    }

    @Test
    void removingAUserEndsAllItsSessionsAndSavesTheFile() {
        users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob")));
        String one = sessions.open("dj-bob").id();
        String two = sessions.open("dj-bob").id();
        String admin = sessions.open("admin").id();
        assertInstanceOf(UserChange.Done.class, users.removeUser(ADMIN, "dj-bob"));
        assertTrue(sessions.find(one, false).isEmpty());
        assertTrue(sessions.find(two, false).isEmpty());
        assertTrue(sessions.find(admin, false).isPresent());
        assertTrue(store.saved.getLast().users().isEmpty());
    }

    @Test
    void whatTheCommandLineOverrodeIsNotWrittenToTheFile() {
        store.saved.add(DashboardLoginTest.config(List.of())); // the file: port 8000
        config.replace(config.get().withListenAddress("127.0.0.1", 9123)); // --host, --port
        users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob")));
        assertEquals(8000, store.saved.getLast().port());
        assertEquals("0.0.0.0", store.saved.getLast().host());
        assertEquals(9123, config.get().port(), "the running server keeps its port");
        assertEquals("dj-bob", config.get().users().getFirst().name());
    }

    @Test
    void onlyAdminsManageUsers() {
        assertInstanceOf(UserChange.Forbidden.class,
                users.addUser(DJ, new AddUserCommand("dj-bob", "bob-password", Role.ADMIN, Set.of())));
        assertInstanceOf(UserChange.Forbidden.class, users.removeUser(DJ, "admin"));
        assertTrue(store.saved.isEmpty());
    }

    @Test
    void adminsListEveryAccountWithoutPasswords() {
        users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob")));
        assertEquals(List.of(new DashboardUser("admin", Role.ADMIN, Set.of()),
                new DashboardUser("dj-bob", Role.DJ, Set.of("/bob"))), users.users(ADMIN).orElseThrow());
        assertTrue(users.users(DJ).isEmpty());
    }

    @Test
    void badRequestsAreRefused() {
        assertInstanceOf(UserChange.Invalid.class, users.removeUser(ADMIN, "admin"), "the first admin stays");
        assertInstanceOf(UserChange.NoSuchUser.class, users.removeUser(ADMIN, "ghost"));
        assertInstanceOf(UserChange.AlreadyExists.class,
                users.addUser(ADMIN, new AddUserCommand("admin", "long-enough", Role.DJ, Set.of())));
        assertInstanceOf(UserChange.Invalid.class,
                users.addUser(ADMIN, new AddUserCommand("x", "short", Role.DJ, Set.of())));
        assertInstanceOf(UserChange.Invalid.class,
                users.addUser(ADMIN, new AddUserCommand("bad name", "long-enough", Role.DJ, Set.of())));
        assertInstanceOf(UserChange.Invalid.class,
                users.addUser(ADMIN, new AddUserCommand("dj", "long-enough", Role.DJ, Set.of("no-slash"))));
        assertTrue(store.saved.isEmpty());
    }

    @Test
    void plaintextPasswordsTypedIntoTheFileAreHashedAtStart() {
        ServerConfig typed = DashboardLoginTest.config(List.of(
                new UserAccount("dj-anna", new Secret.Plain("anna-pass"), Role.DJ, Set.of("/anna"))));
        ServerConfig ready = PrepareConfiguration.hashPlaintextPasswords(typed, hasher, store);
        assertEquals(new Secret.Hashed("$fake$anna-pass"), ready.users().getFirst().password());
        assertSame(ready, store.saved.getLast());
        assertSame(ready, PrepareConfiguration.hashPlaintextPasswords(ready, hasher, store), "nothing to do twice");
        assertEquals(1, store.saved.size());
    }

    @Test
    void anEditChangesRoleMountsAndPasswordAndANewPasswordEndsTheirSessions() {
        users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob")));
        DashboardSession bobs = assertInstanceOf(LogInResult.LoggedIn.class,
                login.logIn(new LogInCommand("dj-bob", "bob-password", "192.0.2.1", Optional.empty()))).session();

        assertInstanceOf(UserChange.Done.class, edit(ADMIN,
                new EditUserCommand("dj-bob", Optional.empty(), Role.DJ, Set.of("/bob", "/late"))));
        assertEquals(Set.of("/bob", "/late"), login.resume(bobs.id()).orElseThrow().user().mounts(),
                "a mount change applies to a running session");
        assertEquals(Set.of("/bob", "/late"), store.saved.getLast().users().getFirst().mounts());

        assertInstanceOf(UserChange.Done.class, edit(ADMIN,
                new EditUserCommand("dj-bob", Optional.of("new-bob-password"), Role.ADMIN, Set.of())));
        assertTrue(login.resume(bobs.id()).isEmpty(), "whoever knew the old password is out");
        assertInstanceOf(LogInResult.LoggedIn.class,
                login.logIn(new LogInCommand("dj-bob", "new-bob-password", "192.0.2.1", Optional.empty())));
        assertEquals(Role.ADMIN, store.saved.getLast().users().getFirst().role());
    }

    @Test
    void theFirstAdminKeepsItsRoleButMayChangeItsPassword() {
        assertInstanceOf(UserChange.Invalid.class, edit(ADMIN,
                new EditUserCommand("admin", Optional.empty(), Role.DJ, Set.of())));
        assertInstanceOf(UserChange.Done.class, edit(ADMIN,
                new EditUserCommand("admin", Optional.of("a-new-admin-password"), Role.ADMIN, Set.of())));
        assertEquals(Optional.of(new Secret.Hashed("$fake$a-new-admin-password")), config.get().adminPassword());
        assertEquals(config.get().adminPassword(), store.saved.getLast().adminPassword());
    }

    @Test
    void editsAreForAdminsAndMustBeValid() {
        users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob")));
        int saves = store.saved.size();
        assertInstanceOf(UserChange.Forbidden.class, edit(DJ,
                new EditUserCommand("dj-bob", Optional.empty(), Role.ADMIN, Set.of())));
        assertInstanceOf(UserChange.NoSuchUser.class, edit(ADMIN,
                new EditUserCommand("ghost", Optional.empty(), Role.DJ, Set.of())));
        assertInstanceOf(UserChange.Invalid.class, edit(ADMIN,
                new EditUserCommand("dj-bob", Optional.of("short"), Role.DJ, Set.of())));
        assertInstanceOf(UserChange.Invalid.class, edit(ADMIN,
                new EditUserCommand("dj-bob", Optional.empty(), null, Set.of())));
        assertInstanceOf(UserChange.Invalid.class, edit(ADMIN,
                new EditUserCommand("dj-bob", Optional.empty(), Role.DJ, Set.of("bad"))));
        assertEquals(saves, store.saved.size());
    }

    @Test
    void aRemovedUsersTokensGoWithIt() {
        users.addUser(ADMIN, new AddUserCommand("dj-bob", "bob-password", Role.DJ, Set.of("/bob")));
        ApiTokens tokens = new ApiTokens(new ConfigChanges(config, store), clock, new Permissions());
        String secret = ((org.tinyice.application.port.in.ManageApiTokensUseCase.TokenCreation.Created)
                tokens.create(new DashboardUser("dj-bob", Role.DJ, Set.of("/bob")), "bobs")).secret();
        users.removeUser(ADMIN, "dj-bob");
        assertEquals(List.of(), config.get().apiTokens());
        assertEquals(List.of(), store.saved.getLast().apiTokens());
        assertTrue(tokens.authenticate(secret).isEmpty());
    }

    @Test
    void changingOnesOwnPasswordKeepsThisSessionAndEndsTheOthers() {
        DashboardSession here = assertInstanceOf(LogInResult.LoggedIn.class,
                login.logIn(new LogInCommand("admin", "admin-pass", "192.0.2.1", Optional.empty()))).session();
        DashboardSession elsewhere = assertInstanceOf(LogInResult.LoggedIn.class,
                login.logIn(new LogInCommand("admin", "admin-pass", "198.51.100.9", Optional.empty()))).session();

        assertInstanceOf(UserChange.Done.class, users.editUser(ADMIN,
                new EditUserCommand("admin", Optional.of("a-brand-new-password"), Role.ADMIN, Set.of()),
                Optional.of(here.id())));

        assertTrue(login.resume(here.id()).isPresent(), "the session that changed it stays");
        assertTrue(login.resume(elsewhere.id()).isEmpty(), "a session opened with the old password ends");
    }

    @Test
    void aNewUserDoesNotInheritTokensLeftByAnEarlierOneOfTheSameName() {
        config.replace(config.get().withApiTokens(List.of(new org.tinyice.application.config.ApiToken("old-one",
                "left behind", "dj-zoe", "a".repeat(64), clock.instant()))));
        users.addUser(ADMIN, new AddUserCommand("dj-zoe", "zoe-password", Role.DJ, Set.of("/zoe")));
        assertEquals(List.of(), config.get().apiTokens());
        assertEquals(List.of(), store.saved.getLast().apiTokens());
    }

    @Test
    void aDeletedFileIsNotRecreatedByAnEdit() {
        store.initial = null;
        UserChange change = users.addUser(ADMIN, new AddUserCommand("dj-x", "x-password", Role.DJ, Set.of()));
        assertTrue(assertInstanceOf(UserChange.Invalid.class, change).reason().contains("is gone"), change.toString());
        assertTrue(store.saved.isEmpty());
    }
}
