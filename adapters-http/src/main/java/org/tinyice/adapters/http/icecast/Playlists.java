package org.tinyice.adapters.http.icecast;

import java.util.Optional;
import java.util.function.Function;
import org.tinyice.adapters.http.EchoedText;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;

/**
 * {@code /mount.m3u}, {@code .pls}, {@code .xspf} and {@code .vclt}. As in Icecast the stream URL is
 * built from the request's {@code Host} header (so a player behind a proxy name gets that name) and
 * the playlist is served whether the mount is live or not; {@code .pls}, which Icecast 2.4.4 lacks,
 * is added because many hardware players only take that.
 */
final class Playlists {

    enum Kind {
        M3U(".m3u", "audio/x-mpegurl"),
        PLS(".pls", "audio/x-scpls"),
        XSPF(".xspf", "application/xspf+xml; charset=UTF-8"),
        VCLT(".vclt", "audio/x-vclt; charset=UTF-8");

        final String suffix;
        final String contentType;

        Kind(String suffix, String contentType) {
            this.suffix = suffix;
            this.contentType = contentType;
        }
    }

    private Playlists() {
    }

    /** The playlist kind a path asks for, if it ends in a playlist suffix. */
    static Optional<Kind> kindOf(String path) {
        for (Kind kind : Kind.values()) {
            if (path.endsWith(kind.suffix) && path.length() > kind.suffix.length() + 1) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    static String mountOf(String path, Kind kind) {
        return path.substring(0, path.length() - kind.suffix.length());
    }

    /**
     * Every value, the URL included (its path is the decoded request path), is made one line by
     * {@link EchoedText}: a CR or LF in a stream name would add a line of its own, such as a second
     * {@code File} entry.
     */
    static String render(Kind kind, String streamUrl, Optional<MountStatus> mount) {
        String url = EchoedText.oneLine(streamUrl);
        String name = field(mount, m -> IcyHeaders.name(m.source()).or(() -> m.config().name()));
        String title = field(mount, MountStatus::title);
        return switch (kind) {
            case M3U -> url + "\r\n";
            case PLS -> "[playlist]\r\nNumberOfEntries=1\r\nFile1=" + url + "\r\nTitle1="
                    + (name.isEmpty() ? url : name) + "\r\nLength1=-1\r\nVersion=2\r\n";
            case VCLT -> "STREAMURL=" + url + "\nTITLE=" + title + "\nSERVER_NAME=" + name + "\nDESCRIPTION="
                    + field(mount, m -> IcyHeaders.description(m.source())) + "\nSIGNALINFO=\nGENRE="
                    + field(mount, m -> IcyHeaders.genre(m.source())) + "\n==\n";
            case XSPF -> xspf(streamUrl, mount);
        };
    }

    private static String field(Optional<MountStatus> mount, Function<MountStatus, Optional<String>> value) {
        return EchoedText.oneLine(mount.flatMap(value).orElse(""));
    }

    private static String xspf(String streamUrl, Optional<MountStatus> mount) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<playlist xmlns=\"http://xspf.org/ns/0/\" version=\"1\">\n  <title/>\n  <creator/>\n");
        if (mount.isEmpty()) {
            return out.append("  <trackList/>\n</playlist>\n").toString();
        }
        MountStatus m = mount.get();
        out.append("  <trackList>\n    <track>\n      <location>").append(EchoedText.markup(streamUrl))
                .append("</location>\n");
        m.title().ifPresent(t -> out.append("      <title>").append(EchoedText.markup(t)).append("</title>\n"));
        // the annotation's line breaks are Icecast's; the values, escaped one by one, cannot add any
        out.append("      <annotation>")
                .append("Stream Title: ").append(EchoedText.markup(IcyHeaders.name(m.source()).orElse("")))
                .append("\nStream Description: ")
                .append(EchoedText.markup(IcyHeaders.description(m.source()).orElse("")))
                .append("\nContent Type:").append(EchoedText.markup(m.source().contentType()))
                .append("\nCurrent Listeners: ").append(m.listeners())
                .append("\nPeak Listeners: ").append(m.listenerPeak())
                .append("\nStream Genre: ").append(EchoedText.markup(IcyHeaders.genre(m.source()).orElse("")))
                .append("</annotation>\n");
        IcyHeaders.url(m.source()).ifPresent(u ->
                out.append("      <info>").append(EchoedText.markup(u)).append("</info>\n"));
        return out.append("    </track>\n  </trackList>\n</playlist>\n").toString();
    }
}
