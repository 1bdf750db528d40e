package org.tinyice.application.port.in;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.UserAccount.Role;

/** Admins add and remove dashboard accounts; every change is saved to the configuration at once. */
public interface ManageUsersUseCase {

    /** Every account, the first admin first (names, roles, mounts; never passwords); empty for a dj. */
    Optional<List<DashboardUser>> users(DashboardUser actor);

    UserChange addUser(DashboardUser actor, AddUserCommand command);

    /** Removes the account and ends all of its sessions. */
    UserChange removeUser(DashboardUser actor, String name);

    record AddUserCommand(String name, String password, Role role, Set<String> mounts) {
        @Override
        public String toString() {
            return "AddUserCommand[" + name + ", " + role + ", " + mounts + "]";
        }
    }

    sealed interface UserChange {
        record Done() implements UserChange { }

        record Forbidden() implements UserChange { }

        record NoSuchUser() implements UserChange { }

        record AlreadyExists() implements UserChange { }

        /** A bad name, an empty password, the first admin (it lives in admin_user / admin_password). */
        record Invalid(String reason) implements UserChange { }
    }
}
