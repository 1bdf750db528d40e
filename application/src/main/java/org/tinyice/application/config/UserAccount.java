package org.tinyice.application.config;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(role, "role");
        mounts = Set.copyOf(new TreeSet<>(mounts));
    }

    public UserAccount withPassword(Secret hashed) {
        return new UserAccount(name, hashed, role, mounts);
    }
}
