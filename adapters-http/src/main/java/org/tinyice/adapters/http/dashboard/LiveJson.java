package org.tinyice.adapters.http.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.tinyice.adapters.http.api.JsonWriter;
import org.tinyice.adapters.http.api.SharedJson;
import org.tinyice.application.port.in.ConfigureMountsUseCase.MountSettings;
import org.tinyice.application.port.in.DashboardUser;
import org.tinyice.application.port.in.FaultsQuery.Fault;
import org.tinyice.application.port.in.LiveStatsQuery.LiveMount;
import org.tinyice.application.port.in.LiveStatsQuery.LiveStats;
import org.tinyice.application.port.in.LiveStatsQuery.PublicMount;
import org.tinyice.application.port.in.ManageApiTokensUseCase.TokenView;
import org.tinyice.application.port.in.ManageLockoutsUseCase.Lockout;
import org.tinyice.application.port.in.RelayStatusQuery.RelayStatus;

/** The JSON of the live events and the dashboard's small JSON answers (documented in docs/dashboard.md). */
final class LiveJson {

    private LiveJson() {
    }

    static String stats(LiveStats stats, List<RelayStatus> relays, List<Lockout> lockouts, List<Fault> faults) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("time", stats.at())
                .field("server_start", stats.serverStart())
                .field("uptime_seconds", Duration.between(stats.serverStart(), stats.at()).toSeconds())
                .field("listeners", stats.listeners())
                .field("sources", stats.sources())
                .field("hls_sessions", stats.hlsSessions())
                .field("bytes_in_per_second", stats.bytesInPerSecond())
                .field("bytes_out_per_second", stats.bytesOutPerSecond())
                .field("heap_used", stats.heapUsed())
                .field("heap_max", stats.heapMax())
                .name("cpu_percent").value(Math.round(stats.cpuPercent()))
                .name("mounts").beginArray();
        for (LiveMount m : stats.mounts()) {
            json.beginObject()
                    .field("mount", m.path())
                    .field("name", m.name())
                    .field("content_type", m.contentType())
                    .field("title", m.title())
                    .field("listeners", m.listeners())
                    .field("listener_peak", m.listenerPeak())
                    .field("bitrate_kbps", m.bitrateKbps())
                    .field("source_address", m.sourceAddress())
                    .field("source_user_agent", m.sourceUserAgent())
                    .field("connected_since", m.connectedSince())
                    .field("slow_listeners", m.slowListeners())
                    .field("bytes_in_per_second", m.bytesInPerSecond())
                    .field("bytes_out_per_second", m.bytesOutPerSecond())
                    .field("public", m.isPublic())
                    .field("hidden", m.hidden())
                    .field("hls", m.hls())
                    .field("hls_sessions", m.hlsSessions())
                    .endObject();
        }
        json.endArray().name("relays");
        SharedJson.relays(json, relays);
        json.name("lockouts");
        lockouts(json, lockouts);
        json.name("faults").beginArray();
        for (Fault fault : faults) {
            json.beginObject()
                    .field("part", fault.part())
                    .field("problem", fault.problem())
                    .field("since", fault.since())
                    .endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }

    static String publicMounts(List<PublicMount> mounts) {
        JsonWriter json = new JsonWriter().beginObject().name("mounts").beginArray();
        for (PublicMount m : mounts) {
            json.beginObject()
                    .field("mount", m.path())
                    .field("name", m.name())
                    .field("content_type", m.contentType())
                    .field("title", m.title())
                    .field("listeners", m.listeners())
                    .field("hls", m.hls())
                    .endObject();
        }
        return json.endArray().endObject().toString();
    }

    static String lockouts(List<Lockout> lockouts) {
        JsonWriter json = new JsonWriter().beginObject().name("lockouts");
        lockouts(json, lockouts);
        return json.endObject().toString();
    }

    static String session(DashboardUser user, String csrfToken, Instant expiresAt) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("user", user.name())
                .field("role", user.role().name().toLowerCase(java.util.Locale.ROOT))
                .name("mounts").beginArray();
        user.mounts().stream().sorted().forEach(json::value);
        return json.endArray()
                .field("csrf_token", csrfToken)
                .field("expires_at", expiresAt)
                .endObject().toString();
    }

    static String users(List<DashboardUser> users) {
        JsonWriter json = new JsonWriter().beginObject().name("users").beginArray();
        for (DashboardUser user : users) {
            json.beginObject()
                    .field("name", user.name())
                    .field("role", user.role().name().toLowerCase(java.util.Locale.ROOT))
                    .name("mounts").beginArray();
            user.mounts().stream().sorted().forEach(json::value);
            json.endArray().endObject();
        }
        return json.endArray().endObject().toString();
    }

    static String tokens(List<TokenView> tokens) {
        JsonWriter json = new JsonWriter().beginObject().name("tokens").beginArray();
        tokens.forEach(token -> token(json, token));
        return json.endArray().endObject().toString();
    }

    /** A new token with its secret: the one answer that ever holds it. */
    static String createdToken(TokenView token, String secret) {
        JsonWriter json = new JsonWriter().beginObject().name("token");
        token(json, token);
        return json.field("secret", secret).endObject().toString();
    }

    private static void token(JsonWriter json, TokenView token) {
        json.beginObject()
                .field("id", token.id())
                .field("name", token.name())
                .field("user", token.user())
                .field("created", token.created())
                .endObject();
    }

    static String mountSettings(List<MountSettings> mounts) {
        JsonWriter json = new JsonWriter().beginObject().name("mounts").beginArray();
        for (MountSettings m : mounts) {
            json.beginObject()
                    .field("mount", m.path())
                    .field("name", m.name())
                    .field("has_password", m.hasPassword())
                    .field("max_listeners", m.maxListeners());
            m.burstSize().ifPresent(b -> json.field("burst_size", b)); // absent: the server's burst size
            json.field("fallback", m.fallback())
                    .field("fallback_override", m.fallbackOverride())
                    .field("public", m.isPublic())
                    .field("hidden", m.hidden())
                    .field("enabled", m.enabled())
                    .field("configured", m.configured())
                    .field("live", m.live())
                    .field("low_latency", m.lowLatency())
                    .endObject();
        }
        return json.endArray().endObject().toString();
    }

    static String listenerChart(String mount, ListenerChart chart) {
        JsonWriter json = new JsonWriter().beginObject()
                .field("mount", mount)
                .field("range", chart.range().key())
                .field("from", chart.from())
                .field("to", chart.to())
                .field("step_seconds", chart.range().step().toSeconds())
                .name("points").beginArray();
        for (ListenerChart.Point point : chart.points()) {
            json.beginObject()
                    .field("time", point.start())
                    .field("listeners", point.listeners())
                    .field("peak", point.peak())
                    .field("minutes", point.minutes())
                    .endObject();
        }
        return json.endArray().endObject().toString();
    }

    private static void lockouts(JsonWriter json, List<Lockout> lockouts) {
        json.beginArray();
        for (Lockout l : lockouts) {
            json.beginObject()
                    .field("address", l.address())
                    .field("failures", l.failures())
                    .field("until", l.until())
                    .endObject();
        }
        json.endArray();
    }
}
