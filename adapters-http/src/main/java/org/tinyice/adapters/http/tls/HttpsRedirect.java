package org.tinyice.adapters.http.tls;

import java.util.Optional;
import org.tinyice.application.config.TlsConfig;

/**
 * {@code "https_redirect"}: which plain-HTTP requests are sent to the HTTPS port, in one place.
 *
 * <p>Only a browser's request for a page: {@code GET}/{@code HEAD} whose {@code Accept} names
 * {@code text/html} (every browser navigation does; players, encoders, monitoring and scripts do not),
 * for the dashboard, the public pages and players, or a playlist. Everything an encoder, a player, a
 * radio or a script asks stays on plain HTTP: {@code SOURCE}/{@code PUT}, streams (an internet radio
 * that cannot speak TLS must still play), Icecast's admin commands including {@code /admin/metadata},
 * status pages, {@code /api}, health and metrics, and ACME's {@code /.well-known/acme-challenge/}
 * (the CA asks over plain HTTP by definition).
 */
public final class HttpsRedirect {

    /** A year, as browsers' preload lists ask; sent only over HTTPS, where it means something. */
    public static final String HSTS = "max-age=31536000";

    private HttpsRedirect() {
    }

    /** For a request Helidon's routing serves (dashboard, public pages, players, API, health). */
    public static Optional<String> forPage(Optional<TlsConfig> tls, String method, String path, String target,
                                           Optional<String> host, Optional<String> accept) {
        if (!isPage(path)) {
            return Optional.empty();
        }
        return location(tls, method, target, host, accept);
    }

    /**
     * For a playlist ({@code .m3u}, {@code .pls}, {@code .xspf}), which a browser may open as a page.
     *
     * @param target the path and query as sent
     */
    public static Optional<String> forPlaylist(Optional<TlsConfig> tls, String method, String target,
                                               Optional<String> host, Optional<String> accept) {
        return location(tls, method, target, host, accept);
    }

    private static boolean isPage(String path) {
        return path.equals("/") || path.equals("/admin") || path.startsWith("/admin/")
                || path.startsWith("/player/") || path.startsWith("/embed/") || path.startsWith("/static/");
    }

    private static Optional<String> location(Optional<TlsConfig> tls, String method, String target,
                                             Optional<String> host, Optional<String> accept) {
        if (tls.isEmpty() || !tls.get().httpsRedirect()
                || !(method.equals("GET") || method.equals("HEAD"))
                || accept.filter(a -> a.contains("text/html")).isEmpty()) {
            return Optional.empty();
        }
        // the name the browser used, without its port: the HTTPS port is another
        String name = host.map(HttpsRedirect::withoutPort).filter(h -> h.matches("[A-Za-z0-9.\\[\\]:-]+"))
                .orElse(null);
        if (name == null) {
            return Optional.empty(); // no usable name to send the browser to: serve it here
        }
        int port = tls.get().port();
        return Optional.of("https://" + name + (port == 443 ? "" : ":" + port) + target);
    }

    private static String withoutPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
