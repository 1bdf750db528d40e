package org.tinyice.adapters.http.api;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.tinyice.adapters.http.tls.AcmeCertificates;
import org.tinyice.adapters.http.tls.CertificateFiles;
import org.tinyice.adapters.http.tls.HttpsCertificates;
import org.tinyice.application.port.in.RelayStatusQuery.RelayStatus;
import org.tinyice.application.port.in.ServerStatusQuery.ListenerStatus;
import org.tinyice.application.port.out.SongPlay;

/** The JSON shapes the API ({@code docs/api.md}) and the dashboard ({@code docs/dashboard.md}) both answer with. */
public final class SharedJson {

    private SharedJson() {
    }

    /**
     * The relays' array: upstream (never with credentials), local mount, state and since when, the next
     * attempt of a waiting relay, bytes, the upstream's last title and the last error with its time.
     */
    public static JsonWriter relays(JsonWriter json, List<RelayStatus> relays) {
        json.beginArray();
        for (RelayStatus relay : relays) {
            json.beginObject()
                    .field("upstream", relay.upstream().toString())
                    .field("mount", relay.mount())
                    .field("on_demand", relay.onDemand())
                    .field("from_master", relay.fromMaster())
                    .field("state", relay.state().name().toLowerCase(Locale.ROOT))
                    .field("since", relay.since());
            relay.nextAttempt().ifPresent(at -> json.field("next_attempt", at));
            json.field("bytes_received", relay.bytesReceived())
                    .field("title", relay.title());
            relay.lastError().ifPresent(error -> json.name("last_error").beginObject()
                    .field("what", error.what())
                    .field("at", error.at())
                    .endObject());
            json.endObject();
        }
        return json.endArray();
    }

    /** {@code {"mount", "songs": [...]}}: a mount's song history. */
    public static JsonWriter songs(String mount, List<SongPlay> plays) {
        JsonWriter json = new JsonWriter().beginObject().field("mount", mount).name("songs").beginArray();
        for (SongPlay play : plays) {
            json.beginObject()
                    .field("title", play.title())
                    .field("artist", play.artist())
                    .field("song", play.song())
                    .field("started", play.started())
                    .field("listeners", play.listenersAtStart())
                    .endObject();
        }
        return json.endArray().endObject();
    }

    /** {@code {"mount", "listeners": [...]}}: a live mount's listeners as of {@code now}. */
    public static JsonWriter listeners(String mount, List<ListenerStatus> listeners, Instant now) {
        JsonWriter json = new JsonWriter().beginObject().field("mount", mount).name("listeners").beginArray();
        for (ListenerStatus listener : listeners) {
            json.beginObject()
                    .field("id", listener.id())
                    .field("address", listener.remoteAddress())
                    .field("user_agent", listener.userAgent())
                    .field("connected_at", listener.connectedAt())
                    .field("connected_seconds", Duration.between(listener.connectedAt(), now).toSeconds())
                    .field("bytes_sent", listener.bytesSent())
                    .field("laps", listener.laps())
                    .endObject();
        }
        return json.endArray().endObject();
    }

    /**
     * The HTTPS certificate in force ({@code subject}, {@code valid_until}, {@code sha256}) and, with ACME,
     * its renewal state: the same object in {@code /api/tls} and on the dashboard.
     */
    public static JsonWriter tls(HttpsCertificates https) {
        JsonWriter json = new JsonWriter().beginObject().field("enabled", https.config().isPresent());
        https.config().ifPresent(config -> json.field("port", config.port()));
        https.files().flatMap(CertificateFiles::running).ifPresent(running -> json
                .field("subject", running.subject())
                .field("valid_until", running.notAfter())
                .field("sha256", running.fingerprint()));
        https.files().ifPresent(files -> json.field("last_reload_error", files.lastError()));
        https.acme().ifPresent(acme -> {
            AcmeCertificates.State state = acme.state();
            json.name("acme").beginObject()
                    .field("directory", acme.directory().toString())
                    .field("valid_until", state.validUntil().map(Instant::toString))
                    .field("next_renewal", state.nextRenewal())
                    .field("last_error", state.lastError())
                    .field("issued", state.issued())
                    .field("failures", state.failures())
                    .endObject();
        });
        return json.endObject();
    }
}
