package org.tinyice.application.config;

import java.time.Instant;
import java.util.Objects;

/**
 * A token a script sends as {@code Authorization: Bearer <token>} instead of logging in. It acts as
 * the user who made it, with that user's role and mounts. Only a SHA-256 of the token is kept: the
 * token is 256 random bits, so a fast hash is as safe as a slow one and costs nothing per request.
 *
 * @param id      short public id, to list and revoke it by
 * @param name    what the owner called it ("nightly playlist script")
 * @param user    the dashboard user it acts as
 * @param sha256  hex SHA-256 of the token
 * @param created when it was made
 */
public record ApiToken(String id, String name, String user, String sha256, Instant created) {

    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(created, "created");
    }
}
