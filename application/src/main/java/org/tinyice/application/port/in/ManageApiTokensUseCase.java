package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Tokens for scripts ({@code Authorization: Bearer <token>}): each acts as the user who made it.
 * Admins see and revoke every token; a dj its own.
 */
public interface ManageApiTokensUseCase {

    List<TokenView> tokens(DashboardUser actor);

    /** Makes a token for the actor; its secret is in the answer and nowhere else, ever. */
    TokenCreation create(DashboardUser actor, String name);

    TokenChange revoke(DashboardUser actor, String id);

    /** The user a bearer token acts as, as the configuration says now; empty for an unknown token. */
    Optional<DashboardUser> authenticate(String bearerToken);

    record TokenView(String id, String name, String user, Instant created) { }

    sealed interface TokenCreation {
        /** @param secret the token itself, shown once */
        record Created(TokenView token, String secret) implements TokenCreation {
            @Override
            public String toString() {
                return "Created[" + token + "]";
            }
        }

        record Invalid(String reason) implements TokenCreation { }
    }

    sealed interface TokenChange {
        record Done() implements TokenChange { }

        record NotFound() implements TokenChange { }

        record Forbidden() implements TokenChange { }

        record Invalid(String reason) implements TokenChange { }
    }
}
