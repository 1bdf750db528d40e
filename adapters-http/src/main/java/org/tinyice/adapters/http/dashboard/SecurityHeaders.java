package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * Headers on every dashboard and public page response. The pages load only their own scripts and
 * styles (no inline script, no CDN), may not be framed, and tell the browser not to guess content
 * types. The player pages may also play audio from this server, and the embeddable player may be
 * framed by any site: that is what it is for, and it offers nothing to click but play and a link.
 */
final class SecurityHeaders {

    private static final String BASE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; ";
    static final String CONTENT_SECURITY_POLICY = BASE_POLICY + "frame-ancestors 'none'";
    static final String PLAYER_POLICY = BASE_POLICY + "media-src 'self'; frame-ancestors 'none'";
    static final String EMBED_POLICY = BASE_POLICY + "media-src 'self'; frame-ancestors *";

    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName REFERRER = HeaderNames.create("Referrer-Policy");
    private static final HeaderName OPENER = HeaderNames.create("Cross-Origin-Opener-Policy");

    private SecurityHeaders() {
    }

    /** @param personal whether the answer is for one user (never stored by caches) */
    static ServerResponse apply(ServerResponse res, boolean personal) {
        return apply(res, CONTENT_SECURITY_POLICY, false, personal);
    }

    /** {@code /player/<mount>}: plays the mount's audio, may not be framed; never cached, as it exists only while on air. */
    static ServerResponse player(ServerResponse res) {
        return apply(res, PLAYER_POLICY, false, true);
    }

    /** {@code /embed/<mount>}: the same, inside any site's frame. */
    static ServerResponse embed(ServerResponse res) {
        return apply(res, EMBED_POLICY, true, true);
    }

    private static ServerResponse apply(ServerResponse res, String policy, boolean framable, boolean personal) {
        res.header(CSP, policy)
                .header(NOSNIFF, "nosniff")
                .header(REFERRER, "same-origin")
                .header(OPENER, "same-origin");
        if (!framable) {
            // for browsers older than CSP's frame-ancestors
            res.header(FRAME_OPTIONS, "DENY");
        }
        if (personal) {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
        }
        return res;
    }
}
