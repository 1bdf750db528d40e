package org.tinyice.application.access;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.config.ApiToken;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.configuration.ConfigChanges;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageApiTokensUseCase;

/**
 * API tokens, kept in the configuration file as SHA-256 hashes ({@link ApiToken}). A token is
 * {@value #PREFIX} plus 256 random bits: the prefix lets secret scanners and people recognise one in a
 * log or a repository.
 */
public final class ApiTokens implements ManageApiTokensUseCase {

    static final String PREFIX = "tinyice_";
    /** Tokens one user may have: more is doing something odd, and each request checks every token. */
    static final int MAX_TOKENS = 50;

    private final ConfigChanges changes;
    private final Clock clock;
    private final AccessPolicy policy;
    private final Tokens random = new Tokens();

    public ApiTokens(ConfigChanges changes, Clock clock, AccessPolicy policy) {
        this.changes = changes;
        this.clock = clock;
        this.policy = policy;
    }

    @Override
    public List<TokenView> tokens(DashboardUser actor) {
        return changes.current().apiTokens().stream()
                .filter(t -> mayActOn(actor, Action.READ_TOKENS, t))
                .map(ApiTokens::view)
                .toList();
    }

    @Override
    public TokenCreation create(DashboardUser actor, String name) {
        String label = name == null ? "" : name.strip();
        if (label.length() > 100 || label.chars().anyMatch(Character::isISOControl)) {
            return new TokenCreation.Invalid("a token name is at most 100 characters on one line");
        }
        String secret = PREFIX + random.next();
        ApiToken token = new ApiToken(random.next().substring(0, 10), label, actor.name(), Tokens.digest(secret),
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Optional<String> problem = changes.apply(c -> {
            List<ApiToken> tokens = new ArrayList<>(c.apiTokens());
            tokens.add(token);
            return c.withApiTokens(tokens);
        }, c -> c.apiTokens().stream().filter(t -> t.user().equals(actor.name())).count() > MAX_TOKENS
                ? Optional.of("you have " + MAX_TOKENS + " tokens already: revoke some first") : Optional.empty());
        return problem.<TokenCreation>map(TokenCreation.Invalid::new)
                .orElseGet(() -> new TokenCreation.Created(view(token), secret));
    }

    @Override
    public TokenChange revoke(DashboardUser actor, String id) {
        return changes.atomically(() -> {
            Optional<ApiToken> token = changes.current().apiTokens().stream().filter(t -> t.id().equals(id))
                    .findFirst();
            if (token.isEmpty()) {
                return new TokenChange.NotFound();
            }
            if (!mayActOn(actor, Action.MANAGE_TOKENS, token.get())) {
                return new TokenChange.Forbidden();
            }
            Optional<String> problem = changes.apply(c -> c.withApiTokens(
                    c.apiTokens().stream().filter(t -> !t.id().equals(id)).toList()));
            return problem.<TokenChange>map(TokenChange.Invalid::new).orElseGet(TokenChange.Done::new);
        });
    }

    @Override
    public Optional<DashboardUser> authenticate(String bearerToken) {
        if (bearerToken == null || !bearerToken.startsWith(PREFIX) || bearerToken.length() > 200) {
            return Optional.empty();
        }
        byte[] presented = Tokens.digest(bearerToken).getBytes(StandardCharsets.US_ASCII);
        ServerConfig now = changes.current();
        for (ApiToken token : now.apiTokens()) {
            // a hash compared in constant time: nothing about a stored token leaks through timing
            if (java.security.MessageDigest.isEqual(presented, token.sha256().getBytes(StandardCharsets.US_ASCII))) {
                return Accounts.find(now, token.user()).map(account -> account.user().viaToken());
            }
        }
        return Optional.empty();
    }

    /** The policy says whether the actor may act on every user's tokens or on its own: a token is its maker's. */
    private boolean mayActOn(DashboardUser actor, Action action, ApiToken token) {
        return policy.allows(actor, action) || policy.grants(actor, action) && token.user().equals(actor.name());
    }

    private static TokenView view(ApiToken token) {
        return new TokenView(token.id(), token.name(), token.user(), token.created());
    }
}
