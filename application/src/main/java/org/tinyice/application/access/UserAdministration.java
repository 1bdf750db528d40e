package org.tinyice.application.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageUsersUseCase;
import org.tinyice.application.port.out.PasswordHasher;

/**
 * Adds, edits and removes dashboard accounts: the change is saved to the configuration file and put
 * in force at once ({@link ConfigChanges}); a removed user's sessions and API tokens end with it.
 * Each change looks at the accounts and changes them in one step, so a reload cannot come between.
 */
public final class UserAdministration implements ManageUsersUseCase {

    private final ConfigChanges changes;
    private final PasswordHasher hasher;
    private final DashboardSessions sessions;
    private final AccessPolicy policy;

    public UserAdministration(ConfigChanges changes, PasswordHasher hasher, DashboardSessions sessions,
                              AccessPolicy policy) {
        this.changes = changes;
        this.hasher = hasher;
        this.sessions = sessions;
        this.policy = policy;
    }

    @Override
    public Optional<List<DashboardUser>> users(DashboardUser actor) {
        if (!policy.allows(actor, Action.READ_USERS)) {
            return Optional.empty();
        }
        ServerConfig now = changes.current();
        List<DashboardUser> all = new ArrayList<>();
        all.add(new DashboardUser(now.adminUser(), Role.ADMIN, Set.of()));
        now.users().forEach(u -> all.add(new DashboardUser(u.name(), u.role(), u.mounts())));
        return Optional.of(all);
    }

    @Override
    public UserChange addUser(DashboardUser actor, AddUserCommand command) {
        if (!policy.allows(actor, Action.MANAGE_USERS)) {
            return new UserChange.Forbidden();
        }
        Optional<String> problem = UserAccount.nameProblem(command.name())
                .or(() -> passwordProblem(command.password()))
                .or(() -> roleProblem(command.name(), command.role(), command.mounts()));
        if (problem.isPresent()) {
            return new UserChange.Invalid(problem.get());
        }
        // hashed before taking the lock: an Argon2 hash is slow, and nobody else waits for it
        UserAccount added = new UserAccount(command.name(), new Secret.Hashed(hasher.hash(command.password())),
                command.role(), command.mounts());
        return changes.atomically(() -> {
            if (Accounts.find(changes.current(), command.name()).isPresent()) {
                return new UserChange.AlreadyExists();
            }
            return done(changes.apply(c -> {
                List<UserAccount> users = new ArrayList<>(c.users());
                users.add(added);
                // tokens left by an earlier account of that name (removed by hand) must not open the new one
                return c.withUsers(users).withApiTokens(
                        c.apiTokens().stream().filter(t -> !t.user().equals(command.name())).toList());
            }));
        });
    }

    @Override
    public UserChange editUser(DashboardUser actor, EditUserCommand command, Optional<String> keepSession) {
        if (!policy.allows(actor, Action.MANAGE_USERS)) {
            return new UserChange.Forbidden();
        }
        Optional<String> problem = command.password().flatMap(UserAdministration::passwordProblem)
                .or(() -> roleProblem(command.name(), command.role(), command.mounts()));
        if (problem.isPresent()) {
            return new UserChange.Invalid(problem.get());
        }
        Optional<Secret> password = command.password().map(p -> new Secret.Hashed(hasher.hash(p)));
        UserChange change = changes.atomically(() -> {
            ServerConfig now = changes.current();
            if (Accounts.find(now, command.name()).isEmpty()) {
                return new UserChange.NoSuchUser();
            }
            if (command.name().equals(now.adminUser())) {
                if (command.role() != Role.ADMIN) {
                    return new UserChange.Invalid("the first admin (admin_user in the configuration) stays an admin");
                }
                return password.isEmpty() ? new UserChange.Done()
                        : done(changes.apply(c -> c.withAdminPassword(password.get())));
            }
            return done(changes.apply(c -> c.withUsers(c.users().stream()
                    .map(u -> u.name().equals(command.name())
                            ? new UserAccount(u.name(), password.orElse(u.password()), command.role(),
                            command.mounts())
                            : u)
                    .toList())));
        });
        if (change instanceof UserChange.Done && password.isPresent()) {
            sessions.endAllOf(command.name(), keepSession); // whoever knew the old password is out
        }
        return change;
    }

    @Override
    public UserChange removeUser(DashboardUser actor, String name) {
        if (!policy.allows(actor, Action.MANAGE_USERS)) {
            return new UserChange.Forbidden();
        }
        UserChange change = changes.atomically(() -> {
            ServerConfig now = changes.current();
            if (name.equals(now.adminUser())) {
                return new UserChange.Invalid("the first admin is admin_user in the configuration and stays");
            }
            if (now.users().stream().noneMatch(u -> u.name().equals(name))) {
                return new UserChange.NoSuchUser();
            }
            return done(changes.apply(c -> c
                    .withUsers(c.users().stream().filter(u -> !u.name().equals(name)).toList())
                    .withApiTokens(c.apiTokens().stream().filter(t -> !t.user().equals(name)).toList())));
        });
        if (change instanceof UserChange.Done) {
            sessions.endAllOf(name);
        }
        return change;
    }

    private static UserChange done(Optional<String> problem) {
        return problem.<UserChange>map(UserChange.Invalid::new).orElseGet(UserChange.Done::new);
    }

    private static Optional<String> passwordProblem(String password) {
        return password != null && password.length() >= 8 ? Optional.empty()
                : Optional.of("a password has at least 8 characters");
    }

    private static Optional<String> roleProblem(String name, Role role, Set<String> mounts) {
        return role == null ? Optional.of("a user needs a role") : UserAccount.mountsProblem(name, mounts);
    }
}
