package org.tinyice.adapters.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.tinyice.application.port.in.Credentials;

/** HTTP Basic credentials from an {@code Authorization} header, for the Icecast side and the API alike. */
public final class BasicCredentials {

    private BasicCredentials() {
    }

    /** The user and password, or empty when the header is absent, not Basic, or does not decode. */
    public static Optional<Credentials> parse(Optional<String> authorization) {
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        String value = authorization.get().trim();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
