package org.tinyice.adapters.http.dashboard;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.tinyice.adapters.http.EchoedText;
import org.tinyice.application.port.in.LiveStatsQuery;
import org.tinyice.application.port.in.LiveStatsQuery.PublicMount;

/**
 * The public pages: {@code /} and its event stream {@code /events} (public, not hidden mounts with their
 * title and listener count, nothing else: no addresses, no user agents, no totals), and a player for
 * each of those mounts, {@code /player/<mount>} and the embeddable {@code /embed/<mount>}. The player
 * pages take their live data from {@code /events} too.
 */
public final class PublicHttpService implements HttpService {

    private final LiveStatsQuery live;
    private final LiveEvents events;
    private final Assets assets;

    public PublicHttpService(LiveStatsQuery live, LiveEvents events) {
        this(live, events, new Assets());
    }

    PublicHttpService(LiveStatsQuery live, LiveEvents events, Assets assets) {
        this.live = live;
        this.events = events;
        this.assets = assets;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::page)
                .get("/events", this::events)
                .get("/player/*", (req, res) -> player(req, res, "/player", "player.html", SecurityHeaders::player))
                .get("/embed/*", (req, res) -> player(req, res, "/embed", "embed.html", SecurityHeaders::embed))
                .get("/static/*", assets::serveStatic);
    }

    private void page(ServerRequest req, ServerResponse res) {
        Assets.sendPage(res, assets.page("public.html"));
    }

    private void events(ServerRequest req, ServerResponse res) {
        SecurityHeaders.apply(res, true);
        events.streamPublic(res, () -> Optional.of(LiveEvents.Event.of("mounts",
                LiveJson.publicMounts(live.publicMounts()))));
    }

    /**
     * A player page for the mount named by the rest of the path ({@code /player/jazz.mp3} plays
     * {@code /jazz.mp3}), or 404 when the public may not see such a mount now. The 404 of the embed
     * keeps the embed's headers, so a site's frame says "off air" instead of showing a refused frame.
     */
    private void player(ServerRequest req, ServerResponse res, String prefix, String page,
                        UnaryOperator<ServerResponse> headers) {
        // decoded, as the Icecast side decodes the mount path a listener asks for
        String mount = req.path().path().substring(prefix.length());
        Optional<PublicMount> found = live.publicMounts().stream().filter(m -> m.path().equals(mount)).findFirst();
        headers.apply(res);
        if (found.isEmpty()) {
            res.status(Status.NOT_FOUND_404);
            Assets.sendHtml(res, assets.page("no-station.html"));
            return;
        }
        // the one server value in the page, as an attribute the script reads; the script fills in the rest
        Assets.sendHtml(res, assets.page(page).replace("<!--mount-->", EchoedText.markup(mount)));
    }
}
