package org.tinyice.domain.mount;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What a source told us about its stream when it connected: the content type and its {@code ice-*}
 * / {@code icy-*} request headers (names lower-cased), plus who it is.
 */
public record SourceInfo(String contentType, Map<String, String> headers, String userAgent,
                         String remoteAddress, Instant connectedAt) {

    /** Sources that send no {@code Content-Type} are taken as MP3, as Icecast does. */
    public static final String DEFAULT_CONTENT_TYPE = "audio/mpeg";

    public SourceInfo {
        contentType = contentType == null || contentType.isBlank() ? DEFAULT_CONTENT_TYPE : contentType.trim();
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        headers.forEach((name, value) -> copy.put(name.toLowerCase(Locale.ROOT), value));
        headers = Collections.unmodifiableMap(copy);
        userAgent = StoredUserAgent.of(userAgent);
        remoteAddress = remoteAddress == null ? "" : remoteAddress;
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The first of the given headers the source sent, e.g. {@code ice-name} then {@code icy-name}. */
    public Optional<String> firstHeader(String... names) {
        for (String name : names) {
            Optional<String> value = header(name);
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.empty();
    }
}
