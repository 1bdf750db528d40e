package org.tinyice.adapters.http.dashboard;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/**
 * Headers on every dashboard and public page response. The pages load only their own scripts and
 * styles (no inline script, no CDN), may not be framed (the embeddable player, when it comes, will
 * get its own policy), and tell the browser not to guess content types.
 */
final class SecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName NOSNIFF = HeaderNames.create("X-Content-Type-Options");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName REFERRER = HeaderNames.create("Referrer-Policy");
    private static final HeaderName OPENER = HeaderNames.create("Cross-Origin-Opener-Policy");

    private SecurityHeaders() {
    }

    /** @param personal whether the answer is for one user (never stored by caches) */
    static ServerResponse apply(ServerResponse res, boolean personal) {
        res.header(CSP, CONTENT_SECURITY_POLICY)
                .header(NOSNIFF, "nosniff")
                .header(FRAME_OPTIONS, "DENY")
                .header(REFERRER, "same-origin")
                .header(OPENER, "same-origin");
        if (personal) {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
        }
        return res;
    }
}
