package org.tinyice.adapters.http.icecast;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tinyice.adapters.http.CrossSiteRequests;
import org.tinyice.application.config.ShoutcastConfig;
import org.tinyice.application.port.in.Credentials;
import org.tinyice.application.port.in.UpdateMetadataUseCase.MetadataUpdate;
import org.tinyice.application.port.in.UpdateMetadataUseCase.UpdateMetadataCommand;

/**
 * SHOUTcast's title update, {@code GET /admin.cgi?pass=...&mode=updinfo&song=...}, as SHOUTcast v1
 * encoders send it, answered with Icecast 2.4.4's bytes (captured from it: an HTML "Admin request
 * successful" page, HTML 400s, the usual 401). There are no user names: {@code pass} is the admin's
 * password or the mount's source password, checked through the same credential check (and throttle)
 * as {@code /admin/metadata}.
 *
 * <p>Icecast answers it on its main port for its shoutcast mount; TinyIce does too, and also on each
 * {@code "shoutcast"} port (for that port's mount), where Icecast would take the request line for a
 * wrong password and close: encoders configured with the source port then still update titles.
 */
final class ShoutcastMetadata {

    static final String PATH = "/admin.cgi";

    private ShoutcastMetadata() {
    }

    /**
     * On the main port, the mount is the first {@code "shoutcast"} entry's (Icecast's one
     * {@code <shoutcast-mount>}), unless {@code mount=} names one (several SHOUTcast ports).
     */
    static String mountOnMainPort(IcecastProtocol protocol, RequestHead head) {
        String asked = head.query().get("mount");
        if (asked != null && !asked.isEmpty()) {
            return asked;
        }
        List<ShoutcastConfig> entries = protocol.config().get().shoutcast();
        return entries.isEmpty() ? "/" : entries.getFirst().mount();
    }

    static byte[] answer(IcecastProtocol protocol, RequestHead head, String mount, String remoteAddress) {
        if (CrossSiteRequests.fromAnotherSite(head.header("Origin"), head.header("Sec-Fetch-Site"),
                head.header("Host"))) {
            return IcecastResponse.forbidden(CrossSiteRequests.REFUSED);
        }
        Map<String, String> query = head.query();
        String pass = query.get("pass");
        if (pass == null) {
            return IcecastResponse.badRequest("missing pass parameter");
        }
        String mode = query.get("mode");
        String song = query.get("song");
        if (mode == null || song == null) {
            return IcecastResponse.badRequest("Missing parameter");
        }
        if (!mode.equals("updinfo")) {
            return IcecastResponse.badRequest("No such action");
        }
        // under the admin's name the check tries the admin's password, then the mount's source password
        Credentials credentials = new Credentials(protocol.config().get().adminUser(), pass);
        MetadataUpdate result = protocol.metadata().update(new UpdateMetadataCommand(mount,
                Optional.of(credentials), remoteAddress, Optional.of(song), Optional.empty(), Optional.empty()));
        return switch (result) {
            case MetadataUpdate.Updated u -> IcecastResponse.of(200, "OK", "text/html; charset=utf-8", false)
                    .withBody("<html><head><title>Admin request successful</title></head><body><p>Metadata update"
                            + " successful</p></body></html>");
            case MetadataUpdate.Unauthorized u -> IcecastResponse.unauthorized(false);
            case MetadataUpdate.NoSuchMount n -> IcecastResponse.badRequest("Source does not exist");
            case MetadataUpdate.MissingTitle m -> IcecastResponse.badRequest("Missing parameter");
            case MetadataUpdate.NotAcceptedForFormat n ->
                    IcecastResponse.badRequest("mountpoint will not accept URL updates");
        };
    }
}
