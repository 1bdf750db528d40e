package org.tinyice.adapters.http.icecast;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.tinyice.adapters.http.CrossSiteRequests;
import org.tinyice.adapters.http.EchoedText;
import org.tinyice.application.config.EdgeAddress;
import org.tinyice.application.port.in.AccessPolicy.Action;
import org.tinyice.application.port.in.AdministerMountsUseCase.KillListenerResult;
import org.tinyice.application.port.in.AdministerMountsUseCase.MoveListenersResult;
import org.tinyice.application.port.in.CheckCredentialsUseCase.Verdict;
import org.tinyice.application.port.in.Principal;
import org.tinyice.application.port.in.ReportEdgeUseCase;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;
import org.tinyice.application.port.in.ServerStatusQuery.MountStatus;
import org.tinyice.application.port.in.ServerStatusQuery.ServerStatus;
import org.tinyice.application.port.in.UpdateMetadataUseCase.MetadataUpdate;
import org.tinyice.application.port.in.UpdateMetadataUseCase.UpdateMetadataCommand;

/**
 * Icecast 2.4's {@code /admin/*} commands, answered with its XML element names, its
 * {@code <iceresponse>} bodies, and its error pages and status codes, because station automation
 * and stats collectors parse them. The credentials a command is checked against are the admin's, except
 * for {@code metadata}, which a mount's source credentials may also use (libshout sends titles that way),
 * and {@code streamlist}, which the relay account ({@code relay_user}) may also use (edges ask for it, and
 * say on the way where listeners reach them: {@link #edgePoll});
 * whether the principal they make may do the command is the access policy's answer.
 *
 * <p>The {@code .xsl} variants answer with the same XML: Icecast renders them to HTML through its
 * web root's stylesheets, which TinyIce's dashboard replaces.
 *
 * <p>Commands stay {@code GET}s for Icecast's clients, so a request a browser marks as coming from
 * another site is refused before its credentials are looked at ({@link CrossSiteRequests}). Failed
 * credentials count towards the lockout every entry point shares; a locked-out client gets 403 whatever
 * it sent, and 503 when every password-hashing slot stayed busy.
 */
final class AdminCommands {

    private final IcecastProtocol protocol;
    private final long connections;
    private final String remoteAddress;

    /** The HTTPS port when the request came over HTTPS (listen URLs are HTTPS ones then). */
    private final Optional<Integer> httpsPort;

    AdminCommands(IcecastProtocol protocol, long connectionsSoFar, String remoteAddress,
                  Optional<Integer> httpsPort) {
        this.httpsPort = httpsPort;
        this.protocol = protocol;
        this.connections = connectionsSoFar;
        this.remoteAddress = remoteAddress;
    }

    /** The answer to {@code /admin/<command>}. */
    Answer answer(RequestHead head, String command) {
        String name = command.endsWith(".xsl") ? command.substring(0, command.length() - 4) : command;
        name = name.equals("stats.xml") ? "stats" : name;
        boolean keepAlive = head.wantsKeepAlive();
        if (name.equals("!POKE")) {
            // libshout checks that an admin interface exists; Icecast answers it with a challenge
            return new Answer(IcecastResponse.unauthorized(keepAlive), keepAlive);
        }
        if (!IcecastRequests.ADMIN_COMMANDS.contains(command)) {
            return Answer.closing(IcecastResponse.badRequest("Unrecognised command"));
        }
        if (CrossSiteRequests.fromAnotherSite(head.header("Origin"), head.header("Sec-Fetch-Site"),
                head.header("Host"))) {
            return Answer.closing(IcecastResponse.forbidden(CrossSiteRequests.REFUSED));
        }
        Map<String, String> query = head.query();
        String mount = query.getOrDefault("mount", "");
        if (name.equals("metadata") || name.equals("updatemetadata")) {
            if (head.credentials().isEmpty()) {
                return new Answer(IcecastResponse.unauthorized(keepAlive), keepAlive);
            }
            return Answer.closing(metadata(head, query, mount));
        }
        boolean streamList = name.equals("streamlist") || name.equals("streamlist.txt");
        // the relay account is tried only under its own name, so the admin's failures still count as the admin's
        boolean asRelay = streamList && head.credentials()
                .filter(given -> given.user().equals(protocol.config().get().relayUser())
                        && !given.user().equals(protocol.config().get().adminUser()))
                .isPresent();
        Verdict verdict = asRelay ? protocol.credentials().checkRelay(head.credentials(), remoteAddress)
                : protocol.credentials().checkAdmin(head.credentials(), remoteAddress);
        if (!verdict.accepted()) {
            boolean challenge = keepAlive && head.credentials().isEmpty();
            return switch (verdict) {
                case Verdict.LockedOut l -> Answer.closing(IcecastResponse.forbidden(l.describe() + "\r\n"));
                case Verdict.Busy b -> Answer.closing(IcecastResponse.of(503, "Service Unavailable",
                        "text/plain; charset=utf-8", false).header("Retry-After", "2")
                        .withBody("Too many password checks at once: try again in a moment\r\n"));
                default -> new Answer(IcecastResponse.unauthorized(challenge), challenge);
            };
        }
        String destination = query.getOrDefault("destination", "");
        if (!allowed(asRelay ? new Principal.Relay() : new Principal.Admin(), name, mount, destination)) {
            // Icecast knows no credentials that pass but may not: a refusal looks like wrong ones
            return Answer.closing(IcecastResponse.unauthorized(false));
        }
        if (streamList) {
            edgePoll(query).ifPresent(protocol.edges()::edgePolled);
        }
        return Answer.closing(switch (name) {
            case "stats" -> IcecastResponse.xml(stats(protocol.status().status()));
            // Icecast answers streamlist with listmounts' XML, and streamlist.txt with the bare list
            case "listmounts", "streamlist" -> IcecastResponse.xml(listMounts(protocol.status().status()));
            case "streamlist.txt" -> IcecastResponse.of(200, "OK", "text/plain; charset=utf-8", false)
                    .withBody(streamList(protocol.status().status()));
            case "listclients" -> listClients(mount);
            case "killclient" -> killClient(mount, query.get("id"));
            case "killsource" -> protocol.admin().killSource(mount)
                    ? IcecastResponse.iceResponse("Source Removed", 1)
                    : IcecastResponse.badRequest("Source does not exist");
            case "moveclients" -> moveClients(mount, destination);
            default -> IcecastResponse.badRequest("Unrecognised command");
        });
    }

    private boolean allowed(Principal caller, String command, String mount, String destination) {
        return switch (command) {
            case "stats", "listmounts" -> protocol.policy().allows(caller, Action.READ_STATUS);
            case "streamlist", "streamlist.txt" -> protocol.policy().allows(caller, Action.LIST_STREAMS);
            case "listclients" -> protocol.policy().allows(caller, Action.LIST_LISTENERS, mount);
            case "killclient" -> protocol.policy().allows(caller, Action.KICK_LISTENER, mount);
            case "killsource" -> protocol.policy().allows(caller, Action.KILL_SOURCE, mount);
            case "moveclients" -> protocol.policy().allows(caller, Action.MOVE_LISTENERS, mount)
                    && protocol.policy().allows(caller, Action.MOVE_LISTENERS, destination);
            default -> false;
        };
    }

    /**
     * What a polling edge says of itself: Icecast-KH's {@code rserver}, {@code rport} and {@code interval},
     * and TinyIce's {@code room}. A poll without them, or with one that does not read, is a plain list
     * request: the list is answered either way, as Icecast-KH does.
     */
    static Optional<ReportEdgeUseCase.EdgePoll> edgePoll(Map<String, String> query) {
        String server = query.get("rserver");
        OptionalInt port = number(query.get("rport"), 1, 65_535);
        OptionalInt interval = number(query.get("interval"), 1, (int) Duration.ofDays(1).toSeconds());
        if (server == null || port.isEmpty() || interval.isEmpty()) {
            return Optional.empty();
        }
        String roomText = query.get("room");
        OptionalInt room = number(roomText, 0, Integer.MAX_VALUE);
        if (roomText != null && room.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReportEdgeUseCase.EdgePoll(new EdgeAddress(server, port.getAsInt()), room,
                    Duration.ofSeconds(interval.getAsInt())));
        } catch (IllegalArgumentException notAHost) {
            return Optional.empty();
        }
    }

    private static OptionalInt number(String text, int min, int max) {
        if (text == null || !text.matches("[0-9]{1,10}")) {
            return OptionalInt.empty();
        }
        long value = Long.parseLong(text);
        return value < min || value > max ? OptionalInt.empty() : OptionalInt.of((int) value);
    }

    record Answer(byte[] bytes, boolean keepAlive) {
        static Answer closing(byte[] bytes) {
            return new Answer(bytes, false);
        }
    }

    private byte[] metadata(RequestHead head, Map<String, String> query, String mount) {
        if (!"updinfo".equals(query.get("mode"))) {
            return IcecastResponse.badRequest("No such action");
        }
        MetadataUpdate result = protocol.metadata().update(new UpdateMetadataCommand(mount, head.credentials(),
                remoteAddress, Optional.ofNullable(query.get("song")), Optional.ofNullable(query.get("artist")),
                Optional.ofNullable(query.get("title"))));
        return switch (result) {
            case MetadataUpdate.Updated u -> IcecastResponse.iceResponse("Metadata update successful", 1);
            case MetadataUpdate.Unauthorized u -> IcecastResponse.unauthorized(false);
            case MetadataUpdate.NoSuchMount n -> IcecastResponse.badRequest("Source does not exist");
            case MetadataUpdate.MissingTitle m -> IcecastResponse.badRequest("Missing parameter");
            case MetadataUpdate.NotAcceptedForFormat n ->
                    IcecastResponse.iceResponse("Mountpoint will not accept URL updates", 1);
        };
    }

    private byte[] listClients(String mount) {
        Optional<List<ListenerStatus>> listeners = protocol.status().listeners(mount);
        if (listeners.isEmpty()) {
            return IcecastResponse.badRequest("Source does not exist");
        }
        Instant now = protocol.clock().instant();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<icestats><source mount=\"")
                .append(EchoedText.markup(mount)).append("\"><Listeners>").append(listeners.get().size())
                .append("</Listeners>");
        for (ListenerStatus listener : listeners.get()) {
            xml.append("<listener><IP>").append(EchoedText.markup(listener.remoteAddress())).append("</IP><UserAgent>")
                    .append(EchoedText.markup(listener.userAgent())).append("</UserAgent><Connected>")
                    .append(seconds(listener.connectedAt(), now)).append("</Connected><ID>").append(listener.id())
                    .append("</ID></listener>");
        }
        return IcecastResponse.xml(xml.append("</source></icestats>\n").toString());
    }

    private byte[] killClient(String mount, String id) {
        long listenerId;
        try {
            listenerId = Long.parseLong(id == null ? "" : id.trim());
        } catch (NumberFormatException e) {
            return IcecastResponse.badRequest("Missing parameter");
        }
        return switch (protocol.admin().killListener(mount, listenerId)) {
            case KillListenerResult.Killed k -> IcecastResponse.iceResponse("Client " + listenerId + " removed", 1);
            // Icecast answers an unknown id with HTTP 200 and return 0
            case KillListenerResult.NoSuchListener n ->
                    IcecastResponse.iceResponse("Client " + listenerId + " not found", 0);
            case KillListenerResult.NoSuchMount n -> IcecastResponse.badRequest("Source does not exist");
        };
    }

    private byte[] moveClients(String from, String to) {
        return switch (protocol.admin().moveListeners(from, to)) {
            case MoveListenersResult.Moved m -> IcecastResponse.iceResponse("Clients moved from " + from + " to " + to, 1);
            case MoveListenersResult.NoSuchMount n -> IcecastResponse.badRequest("Source does not exist");
            case MoveListenersResult.NoSuchDestination n -> IcecastResponse.badRequest("No such destination");
            case MoveListenersResult.SameMount s -> IcecastResponse.badRequest("supplied mountpoints are identical");
        };
    }

    private String listMounts(ServerStatus status) {
        Instant now = protocol.clock().instant();
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<icestats>");
        for (MountStatus mount : status.mounts()) {
            xml.append("<source mount=\"").append(EchoedText.markup(mount.path())).append("\"><fallback>")
                    .append(EchoedText.markup(mount.config().fallback().orElse(""))).append("</fallback><listeners>")
                    .append(mount.listeners()).append("</listeners><Connected>")
                    .append(seconds(mount.streamStart(), now)).append("</Connected><content-type>")
                    .append(EchoedText.markup(mount.source().contentType())).append("</content-type></source>");
        }
        return xml.append("</icestats>\n").toString();
    }

    /** One live mount per line, CRLF-terminated, hidden ones left out: what Icecast's slaves parse. */
    private static String streamList(ServerStatus status) {
        StringBuilder list = new StringBuilder();
        for (MountStatus mount : status.mounts()) {
            if (!mount.config().hidden()) {
                list.append(mount.path()).append("\r\n");
            }
        }
        return list.toString();
    }

    private String stats(ServerStatus status) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<icestats>");
        element(xml, "admin", status.adminEmail());
        element(xml, "client_connections", connections);
        element(xml, "clients", status.listeners() + status.sources());
        element(xml, "connections", connections);
        element(xml, "file_connections", 0);
        element(xml, "host", status.hostname());
        element(xml, "listener_connections", status.listenerConnections());
        element(xml, "listeners", status.listeners());
        element(xml, "location", status.location());
        element(xml, "server_id", IcecastResponse.SERVER);
        element(xml, "server_start", StatusJson.ICECAST_DATE.format(status.serverStart()));
        element(xml, "server_start_iso8601", StatusJson.ICECAST_ISO.format(status.serverStart()));
        element(xml, "source_client_connections", status.sourceConnections());
        element(xml, "source_relay_connections", 0);
        element(xml, "source_total_connections", status.sourceConnections());
        element(xml, "sources", status.sources());
        element(xml, "stats", 0);
        element(xml, "stats_connections", 0);
        for (MountStatus mount : status.mounts()) {
            var source = mount.source();
            xml.append("<source mount=\"").append(EchoedText.markup(mount.path())).append("\">");
            IcyHeaders.bitrate(source).ifPresent(bitrate -> element(xml, "bitrate", bitrate));
            element(xml, "genre", IcyHeaders.genre(source).orElse("various"));
            element(xml, "listener_peak", mount.listenerPeak());
            element(xml, "listeners", mount.listeners());
            element(xml, "listenurl", StatusJson.listenUrl(status, mount.path(), httpsPort));
            element(xml, "max_listeners", mount.config().maxListeners() > 0
                    ? Integer.toString(mount.config().maxListeners()) : "unlimited");
            element(xml, "public", IcyHeaders.isPublic(source) ? 1 : 0);
            element(xml, "server_description", IcyHeaders.description(source).orElse("Unspecified description"));
            element(xml, "server_name", IcyHeaders.name(source).or(() -> mount.config().name())
                    .orElse("Unspecified name"));
            element(xml, "server_type", source.contentType());
            IcyHeaders.url(source).ifPresent(url -> element(xml, "server_url", url));
            element(xml, "slow_listeners", mount.slowListeners());
            element(xml, "source_ip", source.remoteAddress());
            element(xml, "stream_start", StatusJson.ICECAST_DATE.format(mount.streamStart()));
            element(xml, "stream_start_iso8601", StatusJson.ICECAST_ISO.format(mount.streamStart()));
            mount.codec().ifPresent(codec -> element(xml, "subtype", codec));
            mount.title().ifPresent(title -> element(xml, "title", title));
            element(xml, "total_bytes_read", mount.bytesRead());
            element(xml, "total_bytes_sent", mount.bytesSent());
            element(xml, "user_agent", source.userAgent());
            xml.append("</source>");
        }
        return xml.append("</icestats>\n").toString();
    }

    private static void element(StringBuilder xml, String name, Object value) {
        xml.append('<').append(name).append('>').append(EchoedText.markup(String.valueOf(value)))
                .append("</").append(name).append('>');
    }

    private static long seconds(Instant since, Instant now) {
        return Math.max(0, Duration.between(since, now).toSeconds());
    }

}
