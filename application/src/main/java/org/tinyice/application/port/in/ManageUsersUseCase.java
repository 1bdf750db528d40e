package org.tinyice.application.port.in;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinyice.application.config.UserAccount.Role;

/** Admins add, edit and remove dashboard accounts; every change is saved to the configuration at once. */
public interface ManageUsersUseCase {

    /** Every account, the first admin first (names, roles, mounts; never passwords); empty for a dj. */
    Optional<List<DashboardUser>> users(DashboardUser actor);

    UserChange addUser(DashboardUser actor, AddUserCommand command);

    /**
     * Changes an account's role, mounts and (when given) password. The first admin keeps its role; only
     * its password can change here. A new password ends every session of the account but
     * {@code keepSession} (the session of the request, so users who change their own password stay in).
     */
    UserChange editUser(DashboardUser actor, EditUserCommand command, Optional<String> keepSession);

    /** Removes the account, its API tokens, and ends all of its sessions. */
    UserChange removeUser(DashboardUser actor, String name);

    /** @param password empty to keep the current one */
    record EditUserCommand(String name, Optional<String> password, Role role, Set<String> mounts) {
        @Override
        public String toString() {
            return "EditUserCommand[" + name + ", " + role + ", " + mounts + "]";
        }
    }

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
