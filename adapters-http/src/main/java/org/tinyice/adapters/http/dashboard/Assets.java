package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The dashboard's pages, scripts and styles, read once from the jar (no CDN, nothing from outside). */
final class Assets {

    private static final String ROOT = "/org/tinyice/adapters/http/dashboard/";
    private static final Pattern STATIC_NAME = Pattern.compile("[a-z0-9-]{1,40}\\.(js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=UTF-8",
            "css", "text/css; charset=UTF-8",
            "svg", "image/svg+xml",
            "html", "text/html; charset=UTF-8");

    /** Where a page wants a shared fragment, and the file that holds it. */
    private static final Map<String, String> INCLUDES = Map.of("<!--head-->", "head.html", "<!--topbar-->", "topbar.html");

    private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();

    /**
     * A page's text ({@code admin.html}, ...) with the shared fragments put in: the start of the head
     * ({@code head.html}) where it says {@code <!--head-->}, the dashboard's top bar ({@code topbar.html})
     * where it says {@code <!--topbar-->}. Pages ship in the jar, so a missing one is a build error.
     */
    String page(String name) {
        String page = text(name);
        for (Map.Entry<String, String> include : INCLUDES.entrySet()) {
            if (page.contains(include.getKey())) {
                page = page.replace(include.getKey(), text(include.getValue()));
            }
        }
        return page;
    }

    private String text(String name) {
        return new String(load(name).orElseThrow(() -> new IllegalStateException("missing page " + name)),
                StandardCharsets.UTF_8);
    }

    /** {@code GET /static/<name>}: only flat names of scripts, styles and images are served. */
    void serveStatic(ServerRequest req, ServerResponse res) {
        String path = req.path().path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        Optional<byte[]> body = STATIC_NAME.matcher(name).matches() && path.equals("/static/" + name)
                ? load("static/" + name) : Optional.empty();
        SecurityHeaders.apply(res, false);
        if (body.isEmpty()) {
            res.status(Status.NOT_FOUND_404).header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8")
                    .send("not found\n");
            return;
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        // no-cache, not no-store: the browser revalidates, so a new jar's scripts are never mixed with old ones
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get(extension))
                .header(HeaderNames.CACHE_CONTROL, "no-cache")
                .send(body.get());
    }


    static void sendPage(ServerResponse res, String html) {
        sendHtml(SecurityHeaders.apply(res, true), html);
    }

    /** A page whose security headers the caller has set. */
    static void sendHtml(ServerResponse res, String html) {
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get("html")).send(html);
    }

    private Optional<byte[]> load(String name) {
        return cache.computeIfAbsent(name, n -> {
            try (InputStream in = Assets.class.getResourceAsStream(ROOT + n)) {
                return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
