package org.tinyice.adapters.http.icecast;

import java.util.List;
import java.util.Set;

/**
 * Which requests speak Icecast's dialect and which are ordinary HTTP for Helidon's routing. This is
 * decided from the request line alone, before Helidon's HTTP/1 parser sees a byte, because that
 * parser cannot take a source (bodiless PUT/SOURCE followed by raw audio) and answers every
 * HTTP/1.0 request with 505.
 *
 * <p>Icecast's: {@code SOURCE} and {@code PUT} (PUT is reserved for sources, as in Icecast),
 * {@code OPTIONS *} (libshout's probe), anything not HTTP/1.1, and GET/HEAD of every path outside
 * the small namespace the dashboard and APIs own. Unknown paths therefore get Icecast's 404 page,
 * as players and monitoring tools expect.
 */
final class IcecastRequests {

    /** The Icecast 2.4 admin commands; every other {@code /admin/...} path belongs to the dashboard. */
    static final Set<String> ADMIN_COMMANDS = Set.of("metadata", "metadata.xsl", "stats", "stats.xml",
            "listmounts", "listmounts.xsl", "listclients", "listclients.xsl", "killclient", "killclient.xsl",
            "killsource", "killsource.xsl", "moveclients", "moveclients.xsl", "!POKE", "updatemetadata",
            "streamlist", "streamlist.xsl", "streamlist.txt");

    static final Set<String> ROUTED_EXACT = Set.of("/", "/admin", "/api", "/healthz", "/readyz", "/metrics",
            "/events");
    static final List<String> ROUTED_PREFIXES = List.of("/api/", "/static/", "/player/", "/embed/", "/metrics/",
            "/.well-known/acme-challenge/");

    private IcecastRequests() {
    }

    /** Whether this request line is for the Icecast connection rather than Helidon's routing. */
    static boolean isIcecast(String requestLine) {
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3) {
            return true; // malformed: answer it ourselves with a clear 400
        }
        String method = parts[0];
        if (method.equals("SOURCE") || method.equals("PUT")) {
            return true;
        }
        if (method.equals("OPTIONS") && parts[1].equals("*")) {
            return true;
        }
        if (!parts[2].equals("HTTP/1.1")) {
            return true;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return false;
        }
        return !isRoutedPath(pathOf(parts[1]));
    }

    /** Paths served by Helidon's routing (dashboard, JSON API, health, metrics). */
    static boolean isRoutedPath(String path) {
        if (ROUTED_EXACT.contains(path)) {
            return true;
        }
        for (String prefix : ROUTED_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        if (path.startsWith("/admin/")) {
            return !ADMIN_COMMANDS.contains(path.substring("/admin/".length()));
        }
        return false;
    }

    /**
     * Paths no listener could reach as a mount, because the pages, the APIs or Icecast's admin
     * commands answer there: a source may not stream to them.
     */
    static boolean isReservedForPages(String path) {
        return isRoutedPath(path) || path.equals("/admin") || path.startsWith("/admin/")
                || path.equals(ShoutcastMetadata.PATH);
    }

    private static String pathOf(String target) {
        int question = target.indexOf('?');
        return question < 0 ? target : target.substring(0, question);
    }
}
