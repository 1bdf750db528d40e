package org.tinyice.adapters.http.api;

import static org.tinyice.adapters.http.api.JsonResponses.error;
import static org.tinyice.adapters.http.api.JsonResponses.ok;
import static org.tinyice.adapters.http.api.JsonResponses.send;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.tinyice.adapters.http.BasicCredentials;
import org.tinyice.adapters.http.BearerToken;
import org.tinyice.adapters.http.CrossSiteRequests;
import org.tinyice.adapters.http.RemoteAddress;
import org.tinyice.adapters.http.tls.HttpsCertificates;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AdministerMountsUseCase.KillListenerResult;
import org.tinyice.application.port.in.AdministerMountsUseCase.MoveListenersResult;
import org.tinyice.application.port.in.AdministerMountsUseCase;
import org.tinyice.application.port.in.CheckCredentialsUseCase.Verdict;
import org.tinyice.application.port.in.CheckCredentialsUseCase;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.ManageBansUseCase;
import org.tinyice.application.port.in.ManageBansUseCase.BanResult;
import org.tinyice.application.port.in.ManageApiTokensUseCase;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.in.QueryHistoryUseCase;
import org.tinyice.application.port.in.RelayStatusQuery;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;
import org.tinyice.application.port.in.ServerStatusQuery;
import org.tinyice.application.port.in.UpdateMetadataUseCase.MetadataUpdate;
import org.tinyice.application.port.in.UpdateMetadataUseCase;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.SongPlay;

/**
 * TinyIce's JSON API under {@code /api}: the same information and actions as Icecast's admin
 * commands, plus the history. Documented in {@code docs/api.md}. Mounts are named by a {@code mount}
 * query parameter (mount paths contain slashes). Everything but {@code /api/public/...} needs the
 * admin's credentials or an API token ({@code Authorization: Bearer}); each route names its action and
 * the mounts it acts on, and the {@link AccessPolicy} says whether the caller may (an admin's token
 * everything, a dj's the titles of its own mounts). Nothing changes state on GET.
 */
public final class ApiHttpService implements HttpService {

    private static final int MAX_LIMIT = 1000;
    /** Where {@link #authenticate} leaves the caller for the route's {@link #allowed} check. */
    private static final Object CALLER = ApiHttpService.class;

    private final ServerStatusQuery status;
    private final RelayStatusQuery relays;
    private final AdministerMountsUseCase admin;
    private final UpdateMetadataUseCase metadata;
    private final QueryHistoryUseCase history;
    private final CheckCredentialsUseCase credentials;
    private final ManageApiTokensUseCase tokens;
    private final ManageBansUseCase bans;
    private final AccessPolicy policy;
    private final Clock clock;
    private final HttpsCertificates https;

    public ApiHttpService(ServerStatusQuery status, RelayStatusQuery relays, AdministerMountsUseCase admin, UpdateMetadataUseCase metadata,
                          QueryHistoryUseCase history, CheckCredentialsUseCase credentials,
                          ManageApiTokensUseCase tokens, ManageBansUseCase bans, AccessPolicy policy, Clock clock) {
        this(status, relays, admin, metadata, history, credentials, tokens, bans, policy, clock,
                HttpsCertificates.none());
    }

    /** @param https the HTTPS port's certificate, for {@code /api/tls} */
    public ApiHttpService(ServerStatusQuery status, RelayStatusQuery relays, AdministerMountsUseCase admin, UpdateMetadataUseCase metadata,
                          QueryHistoryUseCase history, CheckCredentialsUseCase credentials,
                          ManageApiTokensUseCase tokens, ManageBansUseCase bans, AccessPolicy policy, Clock clock,
                          HttpsCertificates https) {
        this.https = https;
        this.bans = bans;
        this.status = status;
        this.relays = relays;
        this.admin = admin;
        this.metadata = metadata;
        this.history = history;
        this.credentials = credentials;
        this.tokens = tokens;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/public/history", this::publicHistory)
                .any(this::authenticate)
                .get("/status", allowed(Action.READ_STATUS, this::serverStatus))
                .get("/relays", allowed(Action.READ_STATUS, this::relays))
                .get("/tls", allowed(Action.READ_STATUS, this::tls))
                .get("/mounts/listeners", allowed(Action.LIST_LISTENERS, this::listeners, "mount"))
                .post("/mounts/metadata", allowed(Action.SET_TITLE, this::updateMetadata, "mount"))
                .post("/mounts/kill-source", allowed(Action.KILL_SOURCE, this::killSource, "mount"))
                .post("/mounts/move-listeners",
                        allowed(Action.MOVE_LISTENERS, this::moveListeners, "mount", "destination"))
                .post("/listeners/kick", allowed(Action.KICK_LISTENER, this::kickListener, "mount"))
                .post("/listeners/ban", allowed(Action.MANAGE_BANS, this::banListener))
                .get("/bans", allowed(Action.MANAGE_BANS, this::bannedAddresses))
                .post("/bans", allowed(Action.MANAGE_BANS, this::ban))
                .post("/bans/remove", allowed(Action.MANAGE_BANS, this::unban))
                .get("/history", allowed(Action.READ_HISTORY, this::songHistory, "mount"))
                .get("/stats/history", allowed(Action.READ_HISTORY, this::listenerHistory, "mount"));
    }

    /**
     * Lets a request on when its token or Basic credentials say who it is, and leaves that for the route.
     * Basic credentials are checked like every other entry point's (throttled per address and account),
     * and refused from another site's page, which a browser would send cached credentials with.
     */
    private void authenticate(ServerRequest req, ServerResponse res) {
        Optional<String> bearer = BearerToken.parse(req.headers().first(HeaderNames.AUTHORIZATION));
        if (bearer.isPresent()) {
            Optional<DashboardUser> user = tokens.authenticate(bearer.get());
            if (user.isPresent()) {
                proceedAs(user.get(), req, res);
                return;
            }
            // an unknown token is no one: the Basic check below refuses it as wrong credentials
        }
        if (CrossSiteRequests.fromAnotherSite(req)) {
            error(res, Status.FORBIDDEN_403, CrossSiteRequests.REFUSED);
            return;
        }
        switch (credentials.checkAdmin(basic(req), RemoteAddress.of(req))) {
            case Verdict.Accepted a -> proceedAs(new Principal.Admin(), req, res);
            case Verdict.LockedOut l -> {
                res.header(HeaderNames.RETRY_AFTER,
                        Long.toString(Math.max(1, Duration.between(clock.instant(), l.until()).toSeconds())));
                error(res, Status.TOO_MANY_REQUESTS_429, l.describe());
            }
            case Verdict.Busy b -> {
                res.header(HeaderNames.RETRY_AFTER, "2");
                error(res, Status.SERVICE_UNAVAILABLE_503, "too many password checks at once: try again shortly");
            }
            case Verdict.Rejected r -> {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"TinyIce\"");
                error(res, Status.UNAUTHORIZED_401, "admin credentials required");
            }
        }
    }

    private static void proceedAs(Principal caller, ServerRequest req, ServerResponse res) {
        req.context().register(CALLER, caller);
        res.next();
    }

    /**
     * {@code route}, for a caller the policy allows {@code action} on the mounts named by the query
     * parameters {@code mountParameters} (on the whole server when there are none); else 403.
     */
    private Handler allowed(Action action, Handler route, String... mountParameters) {
        return (req, res) -> {
            Principal caller = caller(req);
            if (!policy.grants(caller, action)) {
                error(res, Status.FORBIDDEN_403, "a dj's token may only set the title of its own mounts");
            } else if (!allowedOn(caller, action, req, mountParameters)) {
                error(res, Status.FORBIDDEN_403, "not allowed");
            } else {
                route.handle(req, res);
            }
        };
    }

    private boolean allowedOn(Principal caller, Action action, ServerRequest req, String... mountParameters) {
        if (mountParameters.length == 0) {
            return policy.allows(caller, action);
        }
        for (String mount : mountParameters) {
            if (!policy.allows(caller, action, param(req, mount))) {
                return false;
            }
        }
        return true;
    }

    private static Principal caller(ServerRequest req) {
        return req.context().get(CALLER, Principal.class).orElseThrow();
    }

    /** The HTTPS certificate in force and, with ACME, its renewal state (docs/tls.md). */
    private void tls(ServerRequest req, ServerResponse res) {
        send(res, Status.OK_200, SharedJson.tls(https));
    }

    private void relays(ServerRequest req, ServerResponse res) {
        JsonWriter json = new JsonWriter().beginObject().name("relays");
        SharedJson.relays(json, relays.relays(caller(req)));
        send(res, Status.OK_200, json.endObject());
    }

    private void serverStatus(ServerRequest req, ServerResponse res) {
        var now = status.status();
        JsonWriter json = new JsonWriter().beginObject()
                .field("server_start", now.serverStart())
                .field("uptime_seconds", Duration.between(now.serverStart(), clock.instant()).toSeconds())
                .field("listeners", now.listeners())
                .field("sources", now.sources())
                .field("listener_connections", now.listenerConnections())
                .field("source_connections", now.sourceConnections())
                .name("mounts").beginArray();
        for (MountStatus mount : now.mounts()) {
            mount(json, mount);
        }
        send(res, Status.OK_200, json.endArray().endObject());
    }

    private static void mount(JsonWriter json, MountStatus mount) {
        var source = mount.source();
        json.beginObject()
                .field("mount", mount.path())
                .field("content_type", source.contentType())
                .field("codec", mount.codec())
                .field("name", source.firstHeader("ice-name", "icy-name").or(() -> mount.config().name()))
                .field("title", mount.title())
                .field("listeners", mount.listeners())
                .field("listener_peak", mount.listenerPeak())
                .field("slow_listeners", mount.slowListeners())
                .field("bytes_in", mount.bytesRead())
                .field("bytes_out", mount.bytesSent())
                .field("stream_start", mount.streamStart())
                .field("source_address", source.remoteAddress())
                .field("source_user_agent", source.userAgent())
                .field("public", mount.config().isPublic())
                .endObject();
    }

    private void listeners(ServerRequest req, ServerResponse res) {
        String mount = param(req, "mount");
        Optional<List<ListenerStatus>> listeners = status.listeners(mount);
        if (listeners.isEmpty()) {
            error(res, Status.NOT_FOUND_404, "no source on " + mount);
            return;
        }
        send(res, Status.OK_200, SharedJson.listeners(mount, listeners.get(), clock.instant()));
    }

    private void updateMetadata(ServerRequest req, ServerResponse res) {
        UpdateMetadataUseCase.UpdateMetadataCommand command = new UpdateMetadataUseCase.UpdateMetadataCommand(
                param(req, "mount"), Credentials.none(), RemoteAddress.of(req), optional(req, "song"),
                optional(req, "artist"), optional(req, "title"));
        switch (metadata.updateAs(caller(req), command)) {
            case MetadataUpdate.Updated u -> ok(res, "title updated");
            case MetadataUpdate.Unauthorized u -> error(res, Status.FORBIDDEN_403, "not allowed");
            case MetadataUpdate.NoSuchMount n -> error(res, Status.NOT_FOUND_404, "no source on that mount");
            case MetadataUpdate.MissingTitle m -> error(res, Status.BAD_REQUEST_400, "give song, or artist and title");
            case MetadataUpdate.NotAcceptedForFormat n ->
                    error(res, Status.CONFLICT_409, "Ogg streams carry their own titles");
        }
    }

    private void killSource(ServerRequest req, ServerResponse res) {
        if (admin.killSource(param(req, "mount"))) {
            ok(res, "source disconnected");
        } else {
            error(res, Status.NOT_FOUND_404, "no source on that mount");
        }
    }

    private void moveListeners(ServerRequest req, ServerResponse res) {
        switch (admin.moveListeners(param(req, "mount"), param(req, "destination"))) {
            case MoveListenersResult.Moved m -> send(res, Status.OK_200, new JsonWriter().beginObject()
                    .field("message", "listeners moved").field("moved", m.listeners()).endObject());
            case MoveListenersResult.NoSuchMount n -> error(res, Status.NOT_FOUND_404, "no source on that mount");
            case MoveListenersResult.NoSuchDestination n ->
                    error(res, Status.NOT_FOUND_404, "no source on the destination");
            case MoveListenersResult.SameMount s -> error(res, Status.BAD_REQUEST_400, "mount and destination are the same");
        }
    }

    private void kickListener(ServerRequest req, ServerResponse res) {
        OptionalLong listener = listenerId(req, res);
        if (listener.isEmpty()) {
            return;
        }
        switch (admin.killListener(param(req, "mount"), listener.getAsLong())) {
            case KillListenerResult.Killed k -> ok(res, "listener disconnected");
            case KillListenerResult.NoSuchListener n -> error(res, Status.NOT_FOUND_404, "no such listener");
            case KillListenerResult.NoSuchMount n -> error(res, Status.NOT_FOUND_404, "no source on that mount");
        }
    }

    private void bannedAddresses(ServerRequest req, ServerResponse res) {
        JsonWriter json = new JsonWriter().beginObject().name("banned").beginArray();
        bans.banned(caller(req)).orElse(List.of()).forEach(json::value);
        send(res, Status.OK_200, json.endArray().endObject());
    }

    private void ban(ServerRequest req, ServerResponse res) {
        banned(res, bans.ban(caller(req), param(req, "address")), "banned");
    }

    private void unban(ServerRequest req, ServerResponse res) {
        banned(res, bans.unban(caller(req), param(req, "address")), "ban lifted");
    }

    private void banListener(ServerRequest req, ServerResponse res) {
        listenerId(req, res).ifPresent(id ->
                banned(res, bans.banListener(caller(req), param(req, "mount"), id), "banned and disconnected"));
    }

    /** The {@code id} parameter as a listener id; empty (400 sent) when it is not a number. */
    private static OptionalLong listenerId(ServerRequest req, ServerResponse res) {
        try {
            return OptionalLong.of(Long.parseLong(param(req, "id")));
        } catch (NumberFormatException e) {
            error(res, Status.BAD_REQUEST_400, "id must be a listener id");
            return OptionalLong.empty();
        }
    }

    private static void banned(ServerResponse res, BanResult result, String done) {
        switch (result) {
            case BanResult.Done d -> send(res, Status.OK_200, new JsonWriter().beginObject().field("message", done)
                    .field("address", d.address()).endObject());
            case BanResult.Invalid i -> error(res, Status.BAD_REQUEST_400, i.reason());
            case BanResult.NotFound n -> error(res, Status.NOT_FOUND_404, "no such listener or ban");
            case BanResult.Forbidden f -> error(res, Status.FORBIDDEN_403, "not allowed");
        }
    }

    private void songHistory(ServerRequest req, ServerResponse res) {
        Optional<Instant> before;
        try {
            before = optional(req, "before").map(Instant::parse);
        } catch (DateTimeParseException e) {
            error(res, Status.BAD_REQUEST_400, "before must be an ISO-8601 time, e.g. 2026-11-24T14:32:00Z");
            return;
        }
        int limit = limit(req, 50);
        songs(res, param(req, "mount"), history.recentSongs(param(req, "mount"), limit, before));
    }

    private void publicHistory(ServerRequest req, ServerResponse res) {
        songs(res, param(req, "mount"), history.recentPublicSongs(param(req, "mount"), limit(req, 10)));
    }

    private static void songs(ServerResponse res, String mount, List<SongPlay> plays) {
        send(res, Status.OK_200, SharedJson.songs(mount, plays));
    }

    private void listenerHistory(ServerRequest req, ServerResponse res) {
        Instant to;
        Instant from;
        try {
            to = optional(req, "to").map(Instant::parse).orElse(clock.instant());
            from = optional(req, "from").map(Instant::parse).orElse(to.minus(Duration.ofDays(1)));
        } catch (DateTimeParseException e) {
            error(res, Status.BAD_REQUEST_400, "from and to must be ISO-8601 times, e.g. 2026-11-24T00:00:00Z");
            return;
        }
        if (!from.isBefore(to)) {
            error(res, Status.BAD_REQUEST_400, "from must be before to");
            return;
        }
        String mount = param(req, "mount");
        JsonWriter json = new JsonWriter().beginObject().field("mount", mount).field("from", from).field("to", to)
                .name("samples").beginArray();
        for (ListenerSample sample : history.listenerSamples(mount, from, to)) {
            json.beginObject()
                    .field("start", sample.start())
                    .field("resolution", sample.resolution().name().toLowerCase())
                    .field("minutes", sample.minutes())
                    .field("listeners", sample.listeners())
                    .field("peak", sample.peakListeners())
                    .field("bytes_in", sample.bytesIn())
                    .field("bytes_out", sample.bytesOut())
                    .endObject();
        }
        send(res, Status.OK_200, json.endArray().endObject());
    }

    private static int limit(ServerRequest req, int fallback) {
        try {
            return Math.clamp(Integer.parseInt(optional(req, "limit").orElse(Integer.toString(fallback))), 1, MAX_LIMIT);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String param(ServerRequest req, String name) {
        return optional(req, name).orElse("");
    }

    private static Optional<String> optional(ServerRequest req, String name) {
        return req.query().first(name).asOptional().filter(v -> !v.isEmpty());
    }

    private static Optional<Credentials> basic(ServerRequest req) {
        return BasicCredentials.parse(req.headers().first(HeaderNames.AUTHORIZATION));
    }
}
