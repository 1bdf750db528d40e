package org.tinyice.adapters.http.dashboard;

import static org.tinyice.adapters.http.dashboard.DashboardGate.error;
import static org.tinyice.adapters.http.dashboard.DashboardGate.forbidden;
import static org.tinyice.adapters.http.dashboard.DashboardGate.json;
import static org.tinyice.adapters.http.dashboard.DashboardGate.param;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.tinyice.adapters.http.api.SharedJson;
import org.tinyice.adapters.http.dashboard.ListenerChart.Range;
import org.tinyice.application.port.in.AccessPolicy;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.QueryHistoryUseCase;

/**
 * A mount's song history and listener chart as JSON under {@code /admin/songs} and
 * {@code /admin/listener-chart} (the page is {@code /admin/history}). A dj may read its own mounts only.
 */
final class DashboardHistoryHttpService implements HttpService {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final DashboardGate gate;
    private final QueryHistoryUseCase history;
    private final AccessPolicy policy;
    private final Clock clock;

    DashboardHistoryHttpService(DashboardGate gate, QueryHistoryUseCase history, AccessPolicy policy, Clock clock) {
        this.gate = gate;
        this.history = history;
        this.policy = policy;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/songs", this::songs)
                .get("/listener-chart", this::listenerChart);
    }

    /** {@code ?mount=&limit=&before=}: songs newest first, {@code limit} (1 to 500, default 50) of them. */
    private void songs(ServerRequest req, ServerResponse res) {
        Optional<String> mount = readableMount(req, res);
        if (mount.isEmpty()) {
            return;
        }
        String limitText = param(req, "limit");
        int limit;
        try {
            limit = limitText.isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            error(res, Status.BAD_REQUEST_400, "limit must be a whole number from 1 to " + MAX_LIMIT);
            return;
        }
        String beforeText = param(req, "before");
        Optional<Instant> before;
        try {
            before = beforeText.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(beforeText));
        } catch (DateTimeParseException e) {
            error(res, Status.BAD_REQUEST_400, "before must be an ISO-8601 time, e.g. 2026-11-24T14:32:00Z");
            return;
        }
        json(res, Status.OK_200, SharedJson.songs(mount.get(), history.recentSongs(mount.get(), limit, before)).toString());
    }

    /** {@code ?mount=&range=day|week|year}: listener points over the last 24 hours, 7 days or 365 days. */
    private void listenerChart(ServerRequest req, ServerResponse res) {
        Optional<String> mount = readableMount(req, res);
        if (mount.isEmpty()) {
            return;
        }
        Optional<Range> range = Range.parse(param(req, "range"));
        if (range.isEmpty()) {
            error(res, Status.BAD_REQUEST_400, "range must be day, week or year");
            return;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ListenerChart chart = ListenerChart.of(range.get(), now,
                history.listenerSamples(mount.get(), ListenerChart.from(range.get(), now), now));
        json(res, Status.OK_200, LiveJson.listenerChart(mount.get(), chart));
    }

    /** The request's {@code mount} when its user may read it; else empty after answering 401, 400 or 403. */
    private Optional<String> readableMount(ServerRequest req, ServerResponse res) {
        Optional<DashboardUser> user = gate.reader(req, res);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        String mount = param(req, "mount");
        if (mount.isEmpty()) {
            error(res, Status.BAD_REQUEST_400, "name a mount, e.g. ?mount=/live");
            return Optional.empty();
        }
        if (!policy.allows(user.get(), Action.READ_HISTORY, mount)) {
            forbidden(res);
            return Optional.empty();
        }
        return Optional.of(mount);
    }
}
