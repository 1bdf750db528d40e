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
        if (id == null || !id.matches("[A-Za-z0-9_-]{4,32}")) {
            throw new InvalidSettingException("an API token needs an \"id\" of 4 to 32 letters and digits, not \""
                    + id + "\"", "id");
        }
        Objects.requireNonNull(name, "name");
        // a token whose user is gone (renamed by hand in the file) is kept but lets nobody in
        Objects.requireNonNull(user, "user");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new InvalidSettingException("API token " + id + " needs \"sha256\": 64 lowercase hex digits",
                    "sha256");
        }
        Objects.requireNonNull(created, "created");
    }
}
