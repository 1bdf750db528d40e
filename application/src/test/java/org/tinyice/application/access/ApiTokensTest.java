package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.fixtures.CountingHasher;
import org.tinyice.application.fixtures.SavedConfigs;
import org.tinyice.application.fixtures.TestClock;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageApiTokensUseCase.TokenChange;
import org.tinyice.application.port.in.ManageApiTokensUseCase.TokenCreation;
import org.tinyice.application.port.in.ManageApiTokensUseCase.TokenView;

class ApiTokensTest {

    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser ANNA = new DashboardUser("dj-anna", Role.DJ, Set.of("/anna"));
    static final DashboardUser BOB = new DashboardUser("dj-bob", Role.DJ, Set.of("/bob"));
    static final Permissions POLICY = new Permissions();

    final TestClock clock = new TestClock();
    final SavedConfigs store = new SavedConfigs();
    final CurrentConfig config = new CurrentConfig(DashboardLoginTest.config(List.of(
            new UserAccount("dj-anna", CountingHasher.hashed("anna-password"), Role.DJ, Set.of("/anna")),
            new UserAccount("dj-bob", CountingHasher.hashed("bob-password"), Role.DJ, Set.of("/bob")))));
    final ApiTokens tokens = new ApiTokens(new ConfigChanges(config, store), clock, POLICY);

    {
        store.initial = config.get();
    }

    TokenCreation.Created create(DashboardUser user, String name) {
        return assertInstanceOf(TokenCreation.Created.class, tokens.create(user, name));
    }

    @Test
    void aTokenActsAsItsUserAndOnlyItsHashIsSaved() {
        TokenCreation.Created created = create(ANNA, "now playing");

        assertTrue(created.secret().matches("tinyice_[A-Za-z0-9_-]{43}"), created.secret());
        assertEquals(Optional.of(ANNA.viaToken()), tokens.authenticate(created.secret()));
        String saved = store.saved.getLast().apiTokens().toString();
        assertFalse(saved.contains(created.secret().substring(8)), "the file holds no secret: " + saved);
        assertEquals(new TokenView(created.token().id(), "now playing", "dj-anna", clock.instant()),
                created.token());
        assertFalse(created.toString().contains(created.secret()), "never in a log line");
    }

    @Test
    void aDjsTokenSetsTitlesOfItsMountsAndNothingElseWhileAnAdminsTokenIsTheAdmin() {
        DashboardUser annasToken = tokens.authenticate(create(ANNA, "script").secret()).orElseThrow();
        assertEquals(DashboardUser.Reach.TITLES, annasToken.reach());
        assertTrue(POLICY.allows(annasToken, Action.SET_TITLE, "/anna"));
        assertFalse(POLICY.allows(annasToken, Action.SET_TITLE, "/bob"));
        for (Action control : List.of(Action.KICK_LISTENER, Action.MOVE_LISTENERS, Action.EDIT_MOUNT)) {
            assertFalse(POLICY.allows(annasToken, control, "/anna"), "no kicking, moving or editing, even of its own mount");
        }
        assertTrue(tokens.tokens(annasToken).isEmpty(), "nor listing tokens");
        assertTrue(POLICY.allows(ANNA, Action.EDIT_MOUNT, "/anna"), "her session still may");

        DashboardUser adminsToken = tokens.authenticate(create(ADMIN, "ops").secret()).orElseThrow();
        assertEquals(ADMIN, adminsToken);
        assertTrue(POLICY.allows(adminsToken, Action.EDIT_MOUNT, "/anna"));
    }

    @Test
    void unknownMalformedAndAlteredTokensAreNobody() {
        String secret = create(ADMIN, "").secret();
        for (String token : new String[] {null, "", "tinyice_", secret + "x", secret.substring(0, secret.length() - 1),
                secret.replace("tinyice_", "other_"), "tinyice_" + "A".repeat(300)}) {
            assertEquals(Optional.empty(), tokens.authenticate(token), String.valueOf(token));
        }
    }

    @Test
    void aTokenFollowsItsUsersRoleAndDiesWithTheUser() {
        String secret = create(ANNA, "x").secret();
        config.replace(config.get().withUsers(List.of(
                new UserAccount("dj-anna", CountingHasher.hashed("p"), Role.ADMIN, Set.of()))));
        assertTrue(tokens.authenticate(secret).orElseThrow().isAdmin(), "a role change applies at once");
        config.replace(config.get().withUsers(List.of()));
        assertEquals(Optional.empty(), tokens.authenticate(secret), "a token of a removed user opens nothing");
    }

    @Test
    void adminsSeeAndRevokeEveryTokenADjOnlyItsOwn() {
        TokenCreation.Created annas = create(ANNA, "a");
        TokenCreation.Created bobs = create(BOB, "b");

        assertEquals(List.of(annas.token()), tokens.tokens(ANNA));
        assertEquals(List.of(annas.token(), bobs.token()), tokens.tokens(ADMIN));
        assertInstanceOf(TokenChange.Forbidden.class, tokens.revoke(ANNA, bobs.token().id()));
        assertTrue(tokens.authenticate(bobs.secret()).isPresent());
        assertInstanceOf(TokenChange.Done.class, tokens.revoke(ANNA, annas.token().id()));
        assertInstanceOf(TokenChange.Done.class, tokens.revoke(ADMIN, bobs.token().id()));
        assertEquals(Optional.empty(), tokens.authenticate(bobs.secret()));
        assertEquals(List.of(), store.saved.getLast().apiTokens());
        assertInstanceOf(TokenChange.NotFound.class, tokens.revoke(ADMIN, bobs.token().id()));
    }

    @Test
    void aNameIsOneShortLine() {
        assertInstanceOf(TokenCreation.Invalid.class, tokens.create(ADMIN, "two\nlines"));
        assertInstanceOf(TokenCreation.Invalid.class, tokens.create(ADMIN, "x".repeat(101)));
        assertEquals(0, store.saved.size());
    }

    @Test
    void eachUserHasACapOnHowManyTokensItMakes() {
        for (int i = 0; i < ApiTokens.MAX_TOKENS; i++) {
            create(ANNA, "t" + i);
        }
        assertInstanceOf(TokenCreation.Invalid.class, tokens.create(ANNA, "one too many"));
        assertEquals(ApiTokens.MAX_TOKENS, config.get().apiTokens().size());
        create(BOB, "another user is not held back by anna's tokens");
    }
}
