package org.tinyice.application.access;

import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.Secret;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.config.UserAccount;
import org.tinyice.application.config.UserAccount.Role;
import org.tinyice.application.port.in.DashboardUser;

/** Who may log in: the configured first admin ({@code admin_user}), then the {@code users} list. */
final class Accounts {

    record Account(DashboardUser user, Optional<Secret> password) { }

    private Accounts() {
    }

    static Optional<Account> find(ServerConfig config, String name) {
        if (name.equals(config.adminUser())) {
            return Optional.of(new Account(new DashboardUser(name, Role.ADMIN, Set.of()), config.adminPassword()));
        }
        for (UserAccount account : config.users()) {
            if (account.name().equals(name)) {
                return Optional.of(new Account(new DashboardUser(account.name(), account.role(), account.mounts()),
                        Optional.of(account.password())));
            }
        }
        return Optional.empty();
    }
}
