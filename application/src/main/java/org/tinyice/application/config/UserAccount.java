package org.tinyice.application.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.tinyice.domain.mount.MountPath;

/**
 * A dashboard account from the {@code "users"} list of {@code tinyice.json}. The first admin is not
 * in this list: it is the configured {@code admin_user} / {@code admin_password}.
 *
 * @param name     the login name
 * @param password Argon2id hash (a plaintext value typed into the file is hashed at start)
 * @param role     what the account may do
 * @param mounts   for a {@link Role#DJ}, the mounts it may see and control (ignored for admins)
 */
public record UserAccount(String name, Secret password, Role role, Set<String> mounts) {

    /** {@code admin}: everything; {@code dj}: only the mounts assigned to it. */
    public enum Role { ADMIN, DJ }

    public UserAccount {
        nameProblem(name).ifPresent(problem -> {
            throw new InvalidSettingException(problem, "name");
        });
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(role, "role");
        mounts = Set.copyOf(new TreeSet<>(mounts));
        mountsProblem(name, mounts).ifPresent(problem -> {
            throw new InvalidSettingException(problem, "mounts");
        });
    }

    /** Why {@code name} cannot be a login name, if it cannot: it goes into logs, headers and the file unquoted. */
    public static Optional<String> nameProblem(String name) {
        return name != null && name.matches("[A-Za-z0-9._@-]{1,64}") ? Optional.empty()
                : Optional.of("a user name is 1 to 64 letters, digits and ._@-, not \"" + name + "\"");
    }

    /** Why {@code mounts} cannot be the mounts of user {@code name}, if they cannot. */
    public static Optional<String> mountsProblem(String name, Set<String> mounts) {
        return mounts.stream().filter(mount -> !MountPath.isValid(mount)).findFirst()
                .map(mount -> "\"mounts\" of user \"" + name + "\" must hold mount paths like \"/live\", not \""
                        + mount + "\"");
    }

    public UserAccount withPassword(Secret hashed) {
        return new UserAccount(name, hashed, role, mounts);
    }
}
