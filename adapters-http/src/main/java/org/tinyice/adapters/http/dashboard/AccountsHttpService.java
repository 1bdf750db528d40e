package org.tinyice.adapters.http.dashboard;

import static org.tinyice.adapters.http.dashboard.DashboardGate.error;
import static org.tinyice.adapters.http.dashboard.DashboardGate.forbidden;
import static org.tinyice.adapters.http.dashboard.DashboardGate.json;
import static org.tinyice.adapters.http.dashboard.DashboardGate.ok;
import static org.tinyice.adapters.http.dashboard.DashboardGate.param;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageApiTokensUseCase;
import org.tinyice.application.port.in.ManageApiTokensUseCase.TokenChange;
import org.tinyice.application.port.in.ManageApiTokensUseCase.TokenCreation;
import org.tinyice.application.port.in.ManageUsersUseCase;
import org.tinyice.application.port.in.ManageUsersUseCase.UserChange;

/**
 * Dashboard accounts and API tokens, as JSON under {@code /admin/users} and {@code /admin/tokens}
 * (the page is {@code /admin/accounts}). Changes are url-encoded form POSTs from a dashboard session
 * (the access policy keeps API tokens from them: see {@link DashboardGate#withForm}).
 */
final class AccountsHttpService implements HttpService {

    private final DashboardGate gate;
    private final ManageUsersUseCase users;
    private final ManageApiTokensUseCase tokens;

    AccountsHttpService(DashboardGate gate, ManageUsersUseCase users, ManageApiTokensUseCase tokens) {
        this.gate = gate;
        this.users = users;
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/users", this::users)
                .post("/users/add", this::addUser)
                .post("/users/edit", this::editUser)
                .post("/users/remove", this::removeUser)
                .get("/tokens", this::tokens)
                .post("/tokens/create", this::createToken)
                .post("/tokens/revoke", this::revokeToken);
    }

    // ---- users ----

    private void users(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.reader(req, res);
        if (user.isEmpty()) {
            return;
        }
        users.users(user.get()).ifPresentOrElse(
                list -> json(res, Status.OK_200, LiveJson.users(list)), () -> forbidden(res));
    }

    /** Form fields {@code name}, {@code password}, {@code role} ({@code admin} or {@code dj}), {@code mounts} (comma-separated). */
    private void addUser(ServerRequest req, ServerResponse res) {
        gate.withForm(req, res, Action.MANAGE_USERS, (user, session, f) -> userChange(res, users.addUser(user,
                new ManageUsersUseCase.AddUserCommand(f.get("name"), f.get("password"),
                        role(f.getOrDefault("role", "dj")), mounts(f))), "user added"));
    }

    /**
     * The whole account: {@code name}, {@code role} and {@code mounts} are required (a form that left
     * one out must not demote an admin or clear a dj's mounts); an empty or absent {@code password}
     * keeps the current one.
     */
    private void editUser(ServerRequest req, ServerResponse res) {
        gate.withForm(req, res, Action.MANAGE_USERS, (user, session, f) -> {
            if (!f.containsKey("role") || !f.containsKey("mounts")) {
                error(res, Status.BAD_REQUEST_400, "send the whole account: name, role and mounts");
                return;
            }
            userChange(res, users.editUser(user, new ManageUsersUseCase.EditUserCommand(
                    f.getOrDefault("name", ""), Optional.ofNullable(f.get("password")).filter(p -> !p.isEmpty()),
                    role(f.get("role")), mounts(f)), session), "user changed");
        });
    }

    private void removeUser(ServerRequest req, ServerResponse res) {
        gate.withForm(req, res, Action.MANAGE_USERS, (user, session, f) -> userChange(res,
                users.removeUser(user, param(req, "name")), "user removed"));
    }

    private static Role role(String role) {
        return switch (role) {
            case "admin" -> Role.ADMIN;
            case "dj" -> Role.DJ;
            default -> null;
        };
    }

    private static Set<String> mounts(Map<String, String> form) {
        Set<String> mounts = new LinkedHashSet<>();
        for (String mount : form.getOrDefault("mounts", "").split("[,\\s]+")) {
            if (!mount.isBlank()) {
                mounts.add(mount.trim());
            }
        }
        return mounts;
    }

    private static void userChange(ServerResponse res, UserChange change, String done) {
        switch (change) {
            case UserChange.Done d -> ok(res, done);
            case UserChange.Forbidden f -> forbidden(res);
            case UserChange.NoSuchUser n -> error(res, Status.NOT_FOUND_404, "no such user");
            case UserChange.AlreadyExists a -> error(res, Status.CONFLICT_409, "a user of that name exists");
            case UserChange.Invalid i -> error(res, Status.BAD_REQUEST_400, i.reason());
        }
    }

    // ---- API tokens ----

    private void tokens(ServerRequest req, ServerResponse res) {
        gate.reader(req, res).ifPresent(user -> json(res, Status.OK_200, LiveJson.tokens(tokens.tokens(user))));
    }

    /** Form field {@code name}; the answer holds the token's secret, the only time it is shown. */
    private void createToken(ServerRequest req, ServerResponse res) {
        gate.withForm(req, res, Action.MANAGE_TOKENS, (user, session, f) -> {
            switch (tokens.create(user, f.getOrDefault("name", ""))) {
                case TokenCreation.Created c -> json(res, Status.CREATED_201, LiveJson.createdToken(c.token(),
                        c.secret()));
                case TokenCreation.Invalid i -> error(res, Status.BAD_REQUEST_400, i.reason());
            }
        });
    }

    private void revokeToken(ServerRequest req, ServerResponse res) {
        gate.withForm(req, res, Action.MANAGE_TOKENS, (user, session, form) -> {
            switch (tokens.revoke(user, param(req, "id"))) {
                case TokenChange.Done d -> ok(res, "token revoked");
                case TokenChange.NotFound n -> error(res, Status.NOT_FOUND_404, "no such token");
                case TokenChange.Forbidden f -> forbidden(res);
                case TokenChange.Invalid i -> error(res, Status.BAD_REQUEST_400, i.reason());
            }
        });
    }
}
