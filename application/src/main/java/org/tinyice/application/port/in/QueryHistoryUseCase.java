package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.port.out.ListenerSample;
import org.tinyice.application.port.out.SongPlay;

/** "What played at 14:32?" and "how many listened last night?" */
public interface QueryHistoryUseCase {

    /** A mount's titles, newest first, started before {@code before} when given. */
    List<SongPlay> recentSongs(String mount, int limit, Optional<Instant> before);

    /** The last few titles of a mount the public may see (public and not hidden), else empty. */
    List<SongPlay> recentPublicSongs(String mount, int limit);

    /** Listener samples for a chart: minutes, or hours for older ranges, in time order. */
    List<ListenerSample> listenerSamples(String mount, Instant from, Instant to);
}
