package org.tinyice.adapters.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a browser says a request was made by a page of another site. Browsers send cached Basic
 * credentials and cookies with such requests on their own, so anything that acts on them must refuse
 * them; Icecast's commands are GETs, so the method alone cannot tell. Clients that are not browsers
 * (curl, encoders, stats tools) send neither header and pass.
 */
public final class CrossSiteRequests {

    /** The answer's text wherever one is refused. */
    public static final String REFUSED = "cross-site request refused: this request came from a page of another"
            + " site (Origin or Sec-Fetch-Site says so)";

    private static final HeaderName SEC_FETCH_SITE = HeaderNames.create("Sec-Fetch-Site");

    private CrossSiteRequests() {
    }

    /** {@link #fromAnotherSite(Optional, Optional, Optional)} for a request through Helidon's routing. */
    public static boolean fromAnotherSite(ServerRequest req) {
        return fromAnotherSite(req.headers().first(HeaderNames.ORIGIN), req.headers().first(SEC_FETCH_SITE),
                req.headers().first(HeaderNames.HOST));
    }

    /**
     * @param origin       the {@code Origin} header: it must name the {@code host} the request was sent to
     * @param secFetchSite the {@code Sec-Fetch-Site} header: {@code same-origin} or {@code none} (typed
     *                     in, a bookmark) pass; {@code same-site} does not, as another port or subdomain
     *                     may be someone else's
     * @param host         the {@code Host} header
     */
    public static boolean fromAnotherSite(Optional<String> origin, Optional<String> secFetchSite,
                                          Optional<String> host) {
        if (secFetchSite.isPresent()) {
            String site = secFetchSite.get().trim().toLowerCase(Locale.ROOT);
            if (!site.equals("same-origin") && !site.equals("none")) {
                return true;
            }
        }
        return origin.isPresent() && !sameAuthority(origin.get().trim(), host);
    }

    private static boolean sameAuthority(String origin, Optional<String> host) {
        try {
            URI uri = URI.create(origin);
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host.isPresent() && uri.getHost() != null && authority.equalsIgnoreCase(host.get().trim());
        } catch (IllegalArgumentException e) {
            return false; // "null" (a sandboxed or file: page) and anything unparseable
        }
    }
}
