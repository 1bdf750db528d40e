package org.tinyice.application.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageUsersUseCase;
import org.tinyice.application.port.out.ConfigurationStore;
import org.tinyice.application.port.out.PasswordHasher;
import org.tinyice.domain.mount.MountPath;

/**
 * Adds and removes dashboard accounts: the change is saved to the configuration file (atomically, by
 * the store) and put in force at once; a removed user's sessions end at once.
 */
public final class UserAdministration implements ManageUsersUseCase {

    private final CurrentConfig config;
    private final ConfigurationStore store;
    private final PasswordHasher hasher;
    private final DashboardSessions sessions;

    public UserAdministration(CurrentConfig config, ConfigurationStore store, PasswordHasher hasher,
                              DashboardSessions sessions) {
        this.config = config;
        this.store = store;
        this.hasher = hasher;
        this.sessions = sessions;
    }

    /**
     * Hashes the plaintext passwords a person typed into the file (at start, before anyone logs in),
     * and saves the file when it did.
     */
    public static ServerConfig hashPlaintextPasswords(ServerConfig loaded, PasswordHasher hasher,
                                                      ConfigurationStore store) {
        if (loaded.users().stream().noneMatch(u -> u.password() instanceof Secret.Plain)) {
            return loaded;
        }
        List<UserAccount> hashed = loaded.users().stream()
                .map(u -> u.password() instanceof Secret.Plain plain
                        ? u.withPassword(new Secret.Hashed(hasher.hash(plain.password()))) : u)
                .toList();
        ServerConfig ready = loaded.withUsers(hashed);
        store.save(ready);
        return ready;
    }

    @Override
    public Optional<List<DashboardUser>> users(DashboardUser actor) {
        if (!actor.isAdmin()) {
            return Optional.empty();
        }
        ServerConfig now = config.get();
        List<DashboardUser> all = new ArrayList<>();
        all.add(new DashboardUser(now.adminUser(), UserAccount.Role.ADMIN, java.util.Set.of()));
        now.users().forEach(u -> all.add(new DashboardUser(u.name(), u.role(), u.mounts())));
        return Optional.of(all);
    }

    @Override
    public synchronized UserChange addUser(DashboardUser actor, AddUserCommand command) {
        if (!actor.isAdmin()) {
            return new UserChange.Forbidden();
        }
        Optional<String> problem = problem(command);
        if (problem.isPresent()) {
            return new UserChange.Invalid(problem.get());
        }
        ServerConfig now = config.get();
        if (Accounts.find(now, command.name()).isPresent()) {
            return new UserChange.AlreadyExists();
        }
        List<UserAccount> users = new ArrayList<>(now.users());
        users.add(new UserAccount(command.name(), new Secret.Hashed(hasher.hash(command.password())), command.role(),
                command.mounts()));
        return apply(now, users);
    }

    @Override
    public synchronized UserChange removeUser(DashboardUser actor, String name) {
        if (!actor.isAdmin()) {
            return new UserChange.Forbidden();
        }
        ServerConfig now = config.get();
        if (name.equals(now.adminUser())) {
            return new UserChange.Invalid("the first admin is admin_user in the configuration and stays");
        }
        List<UserAccount> users = new ArrayList<>(now.users());
        if (!users.removeIf(u -> u.name().equals(name))) {
            return new UserChange.NoSuchUser();
        }
        UserChange change = apply(now, users);
        sessions.endAllOf(name);
        return change;
    }

    /**
     * Saves the new list into the file as it is stored (the configuration in force also holds what the
     * command line overrode, such as the port, which must not end up in the file), then puts it in force.
     */
    private UserChange apply(ServerConfig now, List<UserAccount> users) {
        ServerConfig stored;
        try {
            stored = store.load().orElse(now);
        } catch (ConfigurationStore.InvalidConfigurationException e) {
            return new UserChange.Invalid("the configuration file cannot be read, so it is not changed: "
                    + e.getMessage());
        }
        store.save(stored.withUsers(users));
        config.replace(now.withUsers(users));
        return new UserChange.Done();
    }

    private static Optional<String> problem(AddUserCommand command) {
        if (command.name() == null || !command.name().matches("[A-Za-z0-9._@-]{1,64}")) {
            return Optional.of("a user name is 1 to 64 letters, digits and ._@-");
        }
        if (command.password() == null || command.password().length() < 8) {
            return Optional.of("a password has at least 8 characters");
        }
        if (command.role() == null) {
            return Optional.of("a user needs a role");
        }
        for (String mount : command.mounts()) {
            if (!MountPath.isValid(mount)) {
                return Optional.of("not a mount: " + mount);
            }
        }
        return Optional.empty();
    }
}
