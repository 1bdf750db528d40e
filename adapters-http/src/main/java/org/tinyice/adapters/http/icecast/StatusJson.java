package org.tinyice.adapters.http.icecast;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.tinyice.adapters.http.api.JsonWriter;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;
import org.tinyice.application.port.in.ServerStatusQuery.ServerStatus;
import org.tinyice.domain.mount.SourceInfo;

/**
 * {@code /status-json.xsl} in Icecast 2.4.4's exact shape, because web players and stats
 * collectors parse it: {@code icestats.source} is absent with no source, an object with one and an
 * array with more; keys are sorted with {@code "dummy":null} last; numbers are JSON numbers; keys
 * without a value are left out.
 */
final class StatusJson {

    static final DateTimeFormatter ICECAST_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);
    static final DateTimeFormatter ICECAST_ISO =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ", Locale.US).withZone(ZoneOffset.UTC);

    private StatusJson() {
    }

    static String render(ServerStatus status) {
        return render(status, Optional.empty());
    }

    /** @param httpsPort present when the client came over HTTPS: its listen URLs are HTTPS ones then */
    static String render(ServerStatus status, Optional<Integer> httpsPort) {
        Map<String, Object> stats = new TreeMap<>();
        stats.put("admin", status.adminEmail());
        stats.put("host", status.hostname());
        stats.put("location", status.location());
        stats.put("server_id", IcecastResponse.SERVER);
        stats.put("server_start", ICECAST_DATE.format(status.serverStart()));
        stats.put("server_start_iso8601", ICECAST_ISO.format(status.serverStart()));
        List<Map<String, Object>> sources = status.mounts().stream()
                .map(mount -> source(mount, listenUrl(status, mount.path(), httpsPort))).toList();
        JsonWriter json = new JsonWriter().beginObject().name("icestats").beginObject();
        members(json, stats);
        if (sources.size() == 1) {
            object(json.name("source"), sources.getFirst());
        } else if (sources.size() > 1) {
            json.name("source").beginArray();
            sources.forEach(source -> object(json, source));
            json.endArray();
        }
        return json.field("dummy", (String) null).endObject().endObject().toString();
    }

    /**
     * A mount's URL by the public {@code hostname}: on the HTTPS port for a client that came over HTTPS
     * ({@code httpsPort} present), whose page may not play {@code http:} audio.
     */
    static String listenUrl(ServerStatus status, String path, Optional<Integer> httpsPort) {
        return httpsPort.map(port -> "https://" + status.hostname() + ":" + port + path)
                .orElse("http://" + status.hostname() + ":" + status.port() + path);
    }

    private static Map<String, Object> source(MountStatus mount, String listenUrl) {
        SourceInfo source = mount.source();
        Map<String, Object> fields = new TreeMap<>();
        Map<String, String> audioInfo = IcyHeaders.audioInfo(source);
        source.header("ice-audio-info").ifPresent(info -> fields.put("audio_info", info));
        audioInfo.forEach((key, value) -> fields.put("ice-" + key, IcyHeaders.number(value).<Object>map(n -> n).orElse(value)));
        IcyHeaders.bitrate(source).ifPresent(bitrate -> {
            fields.put("bitrate", bitrate);
            fields.putIfAbsent("ice-bitrate", bitrate);
        });
        fields.put("genre", IcyHeaders.genre(source).orElse("various"));
        fields.put("listener_peak", mount.listenerPeak());
        fields.put("listeners", mount.listeners());
        fields.put("listenurl", listenUrl);
        fields.put("server_description", IcyHeaders.description(source).orElse("Unspecified description"));
        fields.put("server_name", IcyHeaders.name(source).or(() -> mount.config().name()).orElse("Unspecified name"));
        fields.put("server_type", source.contentType());
        IcyHeaders.url(source).ifPresent(url -> fields.put("server_url", url));
        fields.put("stream_start", ICECAST_DATE.format(mount.streamStart()));
        fields.put("stream_start_iso8601", ICECAST_ISO.format(mount.streamStart()));
        mount.codec().ifPresent(codec -> fields.put("subtype", codec));
        mount.title().ifPresent(title -> fields.put("title", title));
        return fields;
    }

    private static void object(JsonWriter json, Map<String, Object> fields) {
        members(json.beginObject(), fields);
        json.field("dummy", (String) null).endObject();
    }

    private static void members(JsonWriter json, Map<String, Object> fields) {
        fields.forEach((key, value) -> {
            if (value instanceof Number number) { // only whole numbers: counts, bitrates, sample rates
                json.field(key, number.longValue());
            } else {
                json.field(key, String.valueOf(value));
            }
        });
    }
}
