package org.tinyice.application.history;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.tinyice.application.config.MountConfig;
import org.tinyice.application.config.ServerConfig;
import org.tinyice.application.port.in.QueryHistoryUseCase;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.ListenerStatistics;
import org.tinyice.application.port.out.SongHistory;
import org.tinyice.application.port.out.SongPlay;

/** Reads the history stores; the public may only see a few titles of public, visible mounts. */
public final class HistoryQueryService implements QueryHistoryUseCase {

    /** The public page shows "recently played", not the archive. */
    static final int PUBLIC_LIMIT = 10;

    private final SongHistory songs;
    private final ListenerStatistics statistics;
    private final Supplier<ServerConfig> config;

    public HistoryQueryService(SongHistory songs, ListenerStatistics statistics, Supplier<ServerConfig> config) {
        this.songs = songs;
        this.statistics = statistics;
        this.config = config;
    }

    @Override
    public List<SongPlay> recentSongs(String mount, int limit, Optional<Instant> before) {
        return songs.recent(mount, Math.max(1, limit), before);
    }

    @Override
    public List<SongPlay> recentPublicSongs(String mount, int limit) {
        MountConfig settings = config.get().mount(mount);
        if (!settings.isPublic() || settings.hidden()) {
            return List.of();
        }
        return songs.recent(mount, Math.clamp(limit, 1, PUBLIC_LIMIT), Optional.empty());
    }

    @Override
    public List<ListenerSample> listenerSamples(String mount, Instant from, Instant to) {
        return statistics.samples(mount, from, to);
    }
}
