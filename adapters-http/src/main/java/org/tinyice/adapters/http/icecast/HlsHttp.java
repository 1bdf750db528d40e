package org.tinyice.adapters.http.icecast;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.tinyice.application.port.in.ServeHlsUseCase;
import org.tinyice.application.port.in.ServeHlsUseCase.HlsAnswer;
import org.tinyice.application.port.in.ServeHlsUseCase.HlsClient;
import org.tinyice.domain.hls.HlsSegment;
import org.tinyice.domain.hls.HlsWindow;
import org.tinyice.domain.mount.MountPath;

/**
 * HLS over the Icecast connection: {@code /<mount>/index.m3u8} (and {@code /<mount>.m3u8}), and the
 * segments {@code /<mount>/<sequence>.mp3|.aac}. Served here rather than by Helidon's routing because
 * a cache in front may speak HTTP/1.0 (nginx's default to upstreams), which only this side answers,
 * and because the connection stays open for the player's next request.
 *
 * <p>Caching is the point (docs/hls.md): a segment never changes once named, so it is cached for a
 * year; the playlist changes once a segment, so it is cached for half of one, which keeps a cache's
 * copy at most that stale while it asks the server at most twice a segment. {@code ETag} and
 * {@code Last-Modified} let a cache or player revalidate with a {@code 304}.
 */
final class HlsHttp {

    static final String PLAYLIST_TYPE = "application/vnd.apple.mpegurl";
    /** Segment names are never reused (they count from the clock's seconds), so they never go stale. */
    static final String SEGMENT_CACHE = "public, max-age=31536000, immutable";
    /** Longest number a segment name may be: beyond, it cannot be in any window. */
    private static final int MAX_DIGITS = 18;
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** What an HLS path asks for. */
    sealed interface Request {
        String mount();
    }

    /** {@code alias}: asked as {@code /<mount>.m3u8}, so segment URIs carry the mount's last name. */
    record PlaylistRequest(String mount, boolean alias) implements Request {
    }

    /** {@code name}: the last path segment, {@code <sequence>.mp3} when well formed. */
    record SegmentRequest(String mount, String name) implements Request {
    }

    /** @param keepAlive whether the connection stays open: errors close it, as all of Icecast's do */
    record Answer(byte[] bytes, boolean keepAlive) {
    }

    private HlsHttp() {
    }

    /** The HLS request a (decoded, already traversal-checked) path makes, if it is one. */
    static Optional<Request> parse(String path) {
        if (path.endsWith("/index.m3u8")) {
            return mount(path.substring(0, path.length() - "/index.m3u8".length()))
                    .map(m -> new PlaylistRequest(m, false));
        }
        if (path.endsWith(".m3u8")) {
            return mount(path.substring(0, path.length() - ".m3u8".length())).map(m -> new PlaylistRequest(m, true));
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0 && (path.endsWith(".mp3") || path.endsWith(".aac"))) {
            String name = path.substring(slash + 1);
            return mount(path.substring(0, slash)).map(m -> new SegmentRequest(m, name));
        }
        return Optional.empty();
    }

    private static Optional<String> mount(String path) {
        return MountPath.isValid(path) ? Optional.of(path) : Optional.empty();
    }

    /** Whether a segment name is a sequence number with one of the two extensions. */
    static boolean isSegmentName(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return false;
        }
        for (int i = 0; i < dot; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The whole answer, head and (unless {@code HEAD}) body. */
    static Answer answer(ServeHlsUseCase hls, RequestHead head, Request request, String address) {
        HlsClient client = new HlsClient(address, head.header("User-Agent").orElse(""));
        boolean keepAlive = head.wantsKeepAlive();
        byte[] bytes = switch (request) {
            case PlaylistRequest playlist -> switch (hls.playlist(playlist.mount(), client)) {
                case HlsAnswer.Playlist p -> playlist(head, playlist, p.window(), keepAlive);
                case HlsAnswer answer -> error(answer);
            };
            case SegmentRequest segment -> segment(hls, head, segment, client, keepAlive);
        };
        boolean served = bytes[9] == '2' || bytes[9] == '3'; // "HTTP/1.x 2.." or "3..", else an error
        return new Answer(bytes, keepAlive && served);
    }

    private static byte[] segment(ServeHlsUseCase hls, RequestHead head, SegmentRequest request, HlsClient client,
                                  boolean keepAlive) {
        String name = request.name();
        if (!isSegmentName(name)) {
            return IcecastResponse.badRequest("HLS segment names are sequence numbers, as the playlist lists them");
        }
        int dot = name.lastIndexOf('.');
        if (dot > MAX_DIGITS) {
            return IcecastResponse.htmlError(404, "File Not Found", "segment " + name + " is in no window");
        }
        long sequence = Long.parseLong(name.substring(0, dot));
        HlsAnswer answer = hls.segment(request.mount(), sequence, client);
        if (!(answer instanceof HlsAnswer.Segment(HlsSegment segment, var codec))) {
            return error(answer);
        }
        if (!name.substring(dot + 1).equals(codec.extension)) {
            return IcecastResponse.htmlError(404, "File Not Found", request.mount() + "'s segments are ."
                    + codec.extension);
        }
        String etag = "\"" + segment.sequence() + "-" + segment.bytes().length + "\"";
        return body(head, etag, segment.madeAt(), codec.contentType, SEGMENT_CACHE, segment.bytes(), keepAlive);
    }

    private static byte[] playlist(RequestHead head, PlaylistRequest request, HlsWindow window, boolean keepAlive) {
        byte[] text = render(window, request.alias() ? lastName(request.mount()) + "/" : "")
                .getBytes(StandardCharsets.UTF_8);
        if (window.segments().isEmpty()) {
            // the first segment is still filling: nothing a cache should keep
            return body(head, null, null, PLAYLIST_TYPE, "no-cache", text, keepAlive);
        }
        HlsSegment last = window.segments().getLast();
        String etag = "\"" + window.mediaSequence() + "-" + last.sequence() + "\"";
        long halfSegment = Math.max(1, window.targetSeconds() / 2);
        return body(head, etag, last.madeAt(), PLAYLIST_TYPE, "public, max-age=" + halfSegment, text, keepAlive);
    }

    /** The live media playlist (RFC 8216 section 4.3); {@code prefix} goes before each segment's name. */
    static String render(HlsWindow window, String prefix) {
        StringBuilder out = new StringBuilder(64 + window.segments().size() * 96);
        out.append("#EXTM3U\n#EXT-X-VERSION:3\n");
        out.append("#EXT-X-TARGETDURATION:").append(window.targetSeconds()).append('\n');
        out.append("#EXT-X-MEDIA-SEQUENCE:").append(window.mediaSequence()).append('\n');
        if (window.discontinuitySequence() > 0) {
            out.append("#EXT-X-DISCONTINUITY-SEQUENCE:").append(window.discontinuitySequence()).append('\n');
        }
        for (HlsSegment segment : window.segments()) {
            if (segment.discontinuity()) {
                out.append("#EXT-X-DISCONTINUITY\n");
            }
            out.append("#EXT-X-PROGRAM-DATE-TIME:")
                    .append(DateTimeFormatter.ISO_INSTANT.format(segment.startedAt().truncatedTo(ChronoUnit.MILLIS)))
                    .append('\n');
            out.append(String.format(Locale.ROOT, "#EXTINF:%.3f,%n", segment.durationSeconds()));
            out.append(prefix).append(segment.sequence()).append('.').append(window.codec().extension).append('\n');
        }
        return out.toString();
    }

    private static String lastName(String mount) {
        return URLEncoder.encode(mount.substring(mount.lastIndexOf('/') + 1), StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static byte[] body(RequestHead head, String etag, Instant modified, String contentType,
                               String cacheControl, byte[] body, boolean keepAlive) {
        if (etag != null && notModified(head, etag, modified)) {
            return IcecastResponse.cacheable(304, "Not Modified", null, keepAlive, cacheControl)
                    .header("ETag", etag).header("Last-Modified", HTTP_DATE.format(modified)).head();
        }
        IcecastResponse response = IcecastResponse.cacheable(200, "OK", contentType, keepAlive, cacheControl);
        if (etag != null) {
            response.header("ETag", etag).header("Last-Modified", HTTP_DATE.format(modified));
        }
        return head.method().equals("HEAD") ? response.headOnly(body.length) : response.withBody(body);
    }

    /** RFC 9110 13.1.2 and 13.1.3: {@code If-None-Match} decides when present, else {@code If-Modified-Since}. */
    private static boolean notModified(RequestHead head, String etag, Instant modified) {
        Optional<String> noneMatch = head.header("If-None-Match");
        if (noneMatch.isPresent()) {
            for (String tag : noneMatch.get().split(",")) {
                String t = tag.trim();
                if (t.startsWith("W/")) {
                    t = t.substring(2);
                }
                if (t.equals("*") || t.equals(etag)) {
                    return true;
                }
            }
            return false;
        }
        Optional<String> since = head.header("If-Modified-Since");
        if (since.isEmpty()) {
            return false;
        }
        try {
            Instant then = ZonedDateTime.parse(since.get().trim(), HTTP_DATE).toInstant();
            return !modified.truncatedTo(ChronoUnit.SECONDS).isAfter(then);
        } catch (DateTimeParseException unreadable) {
            return false;
        }
    }

    private static byte[] error(HlsAnswer answer) {
        return switch (answer) {
            case HlsAnswer.NotOffered n -> IcecastResponse.htmlError(404, "File Not Found", n.reason());
            case HlsAnswer.NotFound n -> IcecastResponse.htmlError(404, "File Not Found", n.reason());
            default -> IcecastResponse.notFound();
        };
    }
}
