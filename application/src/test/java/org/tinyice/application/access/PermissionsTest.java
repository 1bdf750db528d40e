package org.tinyice.application.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.Principal;

class PermissionsTest {

    static final String OWN = "/anna";
    static final String OTHER = "/bob";
    static final DashboardUser ADMIN = new DashboardUser("admin", Role.ADMIN, Set.of());
    static final DashboardUser ANNA = new DashboardUser("dj-anna", Role.DJ, Set.of(OWN));

    /** The columns of the table below, in order. */
    static final Map<String, Principal> PRINCIPALS = principals();

    final Permissions policy = new Permissions();

    static Map<String, Principal> principals() {
        Map<String, Principal> principals = new LinkedHashMap<>();
        principals.put("admin by Basic auth", new Principal.Admin());
        principals.put("admin's session", ADMIN);
        principals.put("admin's token", ADMIN.viaToken());
        principals.put("dj's session", ANNA);
        principals.put("dj's token", ANNA.viaToken());
        principals.put("source of " + OWN, new Principal.Source(OWN));
        principals.put("relay account", new Principal.Relay());
        return principals;
    }

    /**
     * {@code all}: on every mount (every user's tokens) and on the whole server; {@code own}: on {@value OWN}
     * (its own tokens), not on {@value OTHER} nor the whole server; {@code -}: nowhere.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # action        | Basic admin | admin session | admin token | dj session | dj token | source | relay
            READ_STATUS     | all         | all           | all         | own        | -        | -      | -
            LIST_STREAMS    | all         | all           | all         | -          | -        | -      | all
            LIST_LISTENERS  | all         | all           | all         | own        | -        | -      | -
            SET_TITLE       | all         | all           | all         | own        | own      | own    | -
            KICK_LISTENER   | all         | all           | all         | own        | -        | -      | -
            MOVE_LISTENERS  | all         | all           | all         | own        | -        | -      | -
            KILL_SOURCE     | all         | all           | all         | own        | -        | -      | -
            EDIT_MOUNT      | all         | all           | all         | own        | -        | -      | -
            READ_HISTORY    | all         | all           | all         | own        | -        | -      | -
            READ_USERS      | all         | all           | all         | -          | -        | -      | -
            MANAGE_USERS    | all         | all           | all         | -          | -        | -      | -
            MANAGE_LOCKOUTS | all         | all           | all         | -          | -        | -      | -
            MANAGE_BANS     | all         | all           | all         | -          | -        | -      | -
            READ_TOKENS     | all         | all           | all         | own        | -        | -      | -
            MANAGE_TOKENS   | all         | all           | all         | own        | -        | -      | -
            """)
    void eachPrincipalMayDoWhatTheTableSays(Action action, String basicAdmin, String adminSession, String adminToken,
                                           String djSession, String djToken, String source, String relay) {
        String[] expected = {basicAdmin, adminSession, adminToken, djSession, djToken, source, relay};
        int column = 0;
        for (Map.Entry<String, Principal> principal : PRINCIPALS.entrySet()) {
            assertEquals(expected[column++], reach(principal.getValue(), action), principal.getKey());
        }
    }

    @Test
    void theTableNamesEveryAction() {
        // a new action must get a row above, not a silent default
        assertEquals(15, Action.values().length);
    }

    @ParameterizedTest
    @EnumSource(Action.class)
    void apiTokensMayDoAnythingButChangeAccountsAndTokens(Action action) {
        boolean changesAccounts = EnumSet.of(Action.MANAGE_USERS, Action.MANAGE_TOKENS).contains(action);
        assertEquals(!changesAccounts, policy.allowsByApiToken(action));
    }

    @Test
    void aDjWithoutMountsMayStillAskForItsOwnButGetsNone() {
        DashboardUser none = new DashboardUser("dj-none", Role.DJ, Set.of());
        assertTrue(policy.grants(none, Action.KICK_LISTENER));
        assertFalse(policy.allows(none, Action.KICK_LISTENER, OWN));
    }

    @Test
    void aSourceSetsTheTitleOfItsOwnMountOnly() {
        assertTrue(policy.allows(new Principal.Source(OTHER), Action.SET_TITLE, OTHER));
        assertFalse(policy.allows(new Principal.Source(OTHER), Action.SET_TITLE, OWN));
    }

    /** What the policy answers for {@code who} and {@code action}, in the table's words. */
    private String reach(Principal who, Action action) {
        boolean own = policy.allows(who, action, OWN);
        boolean other = policy.allows(who, action, OTHER);
        boolean everywhere = policy.allows(who, action);
        boolean granted = policy.grants(who, action);
        if (everywhere && own && other && granted) {
            return "all";
        }
        if (own && !other && !everywhere && granted) {
            return "own";
        }
        if (!own && !other && !everywhere && !granted) {
            return "-";
        }
        return "inconsistent: own " + own + ", other " + other + ", everywhere " + everywhere + ", granted " + granted;
    }
}
