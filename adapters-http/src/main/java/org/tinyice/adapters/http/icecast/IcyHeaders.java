package org.tinyice.adapters.http.icecast;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.tinyice.domain.mount.SourceInfo;

/**
 * How a source's {@code ice-*} / {@code icy-*} request headers become the {@code icy-*} headers a
 * listener sees, and the status fields derived from them, as Icecast 2.4.4 maps them:
 * {@code ice-name -> icy-name}, {@code ice-public -> icy-pub}, {@code ice-bitrate -> icy-br}, ...;
 * {@code icy-*} headers pass through; {@code ice-audio-info} is passed on as is, and its bitrate
 * part also yields {@code icy-br}.
 *
 * <p>Only {@code ice-*} and {@code icy-*} headers are kept, so {@code Content-Length},
 * {@code Transfer-Encoding}, {@code Connection} and the like never reach a listener; of those that
 * are, {@code icy-metaint} (or an {@code ice-metaint} that would become it) is dropped: the
 * interval is TinyIce's, sent only to listeners who asked, and a second or wrong one garbles playback.
 */
final class IcyHeaders {

    /** Listener headers TinyIce writes itself, whatever a source sends. */
    private static final Set<String> OWNED_BY_SERVER = Set.of("icy-metaint");

    private IcyHeaders() {
    }

    /** Whether a source request header describes the stream (and so is kept). */
    static boolean describesStream(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return (lower.startsWith("ice-") || lower.startsWith("icy-"))
                && !OWNED_BY_SERVER.contains(listenerName(lower));
    }

    /** The listener header a kept source header becomes ({@code ice-audio-info} stays as it is). */
    private static String listenerName(String sourceHeader) {
        if (!sourceHeader.startsWith("ice-") || sourceHeader.equals("ice-audio-info")) {
            return sourceHeader;
        }
        return "icy-" + switch (sourceHeader.substring(4)) {
            case "public" -> "pub";
            case "bitrate" -> "br";
            default -> sourceHeader.substring(4);
        };
    }

    /** The {@code name:value} lines for a listener, sorted by name as Icecast sends them. */
    static TreeMap<String, String> forListener(SourceInfo source) {
        TreeMap<String, String> lines = new TreeMap<>();
        source.headers().forEach((name, value) -> {
            if (!describesStream(name) || name.equals("ice-audio-info")) {
                return; // a SourceInfo made elsewhere (file mounts, tests) may hold anything
            }
            if (name.startsWith("icy-")) {
                lines.put(name, value);
            } else {
                lines.putIfAbsent(listenerName(name), value);
            }
        });
        bitrate(source).ifPresent(br -> lines.putIfAbsent("icy-br", Integer.toString(br)));
        return lines;
    }

    static Optional<String> name(SourceInfo source) {
        return source.firstHeader("ice-name", "icy-name");
    }

    static Optional<String> genre(SourceInfo source) {
        return source.firstHeader("ice-genre", "icy-genre");
    }

    static Optional<String> description(SourceInfo source) {
        return source.firstHeader("ice-description", "icy-description");
    }

    static Optional<String> url(SourceInfo source) {
        return source.firstHeader("ice-url", "icy-url");
    }

    static boolean isPublic(SourceInfo source) {
        return source.firstHeader("ice-public", "icy-pub").map(v -> v.trim().equals("1")).orElse(false);
    }

    /** The stream's bitrate in kbit/s from {@code ice-bitrate}, {@code icy-br} or {@code ice-audio-info}. */
    static Optional<Integer> bitrate(SourceInfo source) {
        Optional<Integer> direct = source.firstHeader("ice-bitrate", "icy-br").flatMap(IcyHeaders::number);
        return direct.or(() -> Optional.ofNullable(audioInfo(source).get("bitrate")).flatMap(IcyHeaders::number));
    }

    /**
     * The parts of {@code ice-audio-info} ({@code ice-samplerate=44100;ice-bitrate=128;...}; liquidsoap
     * leaves out the {@code ice-} prefix), keyed without the prefix.
     */
    static Map<String, String> audioInfo(SourceInfo source) {
        Map<String, String> parts = new TreeMap<>();
        source.header("ice-audio-info").ifPresent(info -> {
            for (String part : info.split(";")) {
                int equals = part.indexOf('=');
                if (equals > 0) {
                    String key = part.substring(0, equals).trim().toLowerCase(Locale.ROOT);
                    parts.put(key.startsWith("ice-") ? key.substring(4) : key, part.substring(equals + 1).trim());
                }
            }
        });
        return parts;
    }

    static Optional<Integer> number(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
