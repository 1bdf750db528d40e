package org.tinyice.adapters.http.dashboard;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import org.tinyice.application.port.in.LiveStatsQuery;

/**
 * The public page {@code /} and its event stream {@code /events}: public, not hidden mounts with their
 * title and listener count, nothing else (no addresses, no user agents, no totals).
 */
public final class PublicHttpService implements HttpService {

    private final LiveStatsQuery live;
    private final Assets assets;

    public PublicHttpService(LiveStatsQuery live) {
        this(live, new Assets());
    }

    PublicHttpService(LiveStatsQuery live, Assets assets) {
        this.live = live;
        this.assets = assets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page)
                .get("/events", this::events)
                .get("/static/*", assets::serveStatic);
    }

    private void page(ServerRequest req, ServerResponse res) {
        Assets.sendPage(res, assets.page("public.html"));
    }

    private void events(ServerRequest req, ServerResponse res) {
        SecurityHeaders.apply(res, true);
        LiveEvents.stream(res, () -> Optional.of(LiveEvents.Event.of("mounts",
                LiveJson.publicMounts(live.publicMounts()))));
    }
}
