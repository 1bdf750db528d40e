package org.tinyice.application.port.in;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.tinyice.application.config.RelayConfig;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.out.RelayClient;
import org.tinyice.domain.icy.IcyDeinterleaver;
import org.tinyice.domain.mount.SourceInfo;
import org.tinyice.domain.stream.CodecHeaders;

/**
 * A take-over (zero-downtime update) as the stream sees it: the old process describes each mount whose
 * source stopped reading ({@link SourceSession#handOver}) and each listener the write engine let go of
 * ({@link ListenerFeed#handOverState}); the new process continues them from those descriptions, so
 * that every listener gets the next byte of the same stream, at the same sequence in the same ring.
 * MP3, AAC and Ogg streams are carried over alike: an Ogg mount's codec header pages go with its chunks,
 * and its source's unfinished page goes to the new process's assembler.
 */
public interface HandOverStreamsUseCase {

    /** The server-wide figures that go on: uptime, connection totals. */
    ServerState serverState();

    /** New process: uptime and totals go on from the old one's. */
    void continueServer(ServerState state);

    /** Old process: the mount at {@code path}, once its source has been handed over; empty if it cannot go. */
    Optional<MountState> mountState(String path);

    /**
     * Old process, when the take-over failed after the source was handed over: the mount's source goes
     * on here, with a new session (the one handed over takes nothing more).
     */
    Optional<SourceSession> resumeMount(String path);

    /**
     * New process: the mount goes on, with the ring's chunks at their sequences, its title and counters.
     *
     * @param disconnect what admin "kill source" does to the continued source
     * @return its source's session, empty if the path is taken here already
     */
    Optional<SourceSession> continueMount(MountState state, Runnable disconnect);

    /**
     * New process: the listener goes on in its mount's continued ring where it stopped.
     *
     * @param disconnect what a kick does to it
     * @return empty if its mount is not here
     */
    Optional<ContinuedListener> continueListener(ListenerState state, Runnable disconnect);

    /**
     * Old process: every relay reading its upstream stops between two reads; its mount stays, as a
     * source's does ({@link SourceSession#handOver}), for {@link #mountState}.
     */
    List<FrozenRelay> freezeRelays();

    /**
     * Old process, when the take-over failed after the relay was frozen: it reads on from {@code upstream}
     * (the same connection, taken back) into its mount, where it stopped.
     */
    void resumeRelay(FrozenRelay relay, RelayClient.Upstream upstream);

    /**
     * New process: the relay's mount goes on (as {@link #continueMount}), and the relay reads on from
     * {@code upstream} where the old process stopped, once the configuration (or the master's list) names a
     * relay of the same upstream to that mount; a relay no longer configured ends as on a reload.
     *
     * @return false if the mount's path is taken here already (the upstream is closed)
     */
    boolean continueRelay(MountState mount, RelayState relay, RelayClient.Upstream upstream);

    /**
     * Old process: every file mount's player stops between two stretches; its mount stays, as a source's
     * does, for {@link #mountState}.
     *
     * @return by mount path, the position in its file (bytes from the start) of the first byte the mount has
     *         not had
     */
    java.util.Map<String, Long> freezeFileMounts();

    /** Old process, when the take-over failed: the file mount at {@code path} plays on from {@code position}. */
    void resumeFileMount(String path, long position);

    /**
     * New process: the file mount goes on (as {@link #continueMount}) and its file plays on from
     * {@code position}.
     *
     * @return false if no file plays as that path here, or the path is taken (the mount is not continued)
     */
    boolean continueFileMount(MountState mount, long position);

    /**
     * A relay as it goes over: its entry (matched by mount and upstream URL in the new process), whether it
     * came from a master's list, where its ICY de-interleaver stood (null without metadata) and its status
     * figures.
     */
    record RelayState(RelayConfig config, boolean fromMaster, IcyDeinterleaver.State icy, long bytesReceived,
                      String lastTitle) {
    }

    /** A relay stopped for a take-over, and its upstream: stopped too, its connection open. */
    record FrozenRelay(RelayState state, RelayClient.Upstream upstream) {
    }

    record ServerState(Instant started, long listenerConnections, long sourceConnections) {
    }

    /**
     * A chunk of a mount's ring: its sequence, bytes, the title in force for them and (Ogg) the codec
     * header pages in force for them, or null.
     */
    record ChunkState(long sequence, byte[] bytes, String title, CodecHeaders headers) {
    }

    /**
     * @param head        the sequence the next chunk gets
     * @param chunks      what the ring holds, oldest first
     * @param headers     (Ogg) the codec header pages in force now, or null
     * @param unassembled what the source sent that is not in the ring yet (the start of an Ogg page): the
     *                    new process's assembler takes it before the source's next bytes
     */
    record MountState(String path, SourceInfo source, String title, boolean titleSet, int listenerPeak,
                      long bytesRead, long bytesSent, long head, List<ChunkState> chunks, CodecHeaders headers,
                      byte[] unassembled) {
    }

    /**
     * @param position   the sequence of the next chunk it is to get
     * @param first      whether it has had no chunk yet
     * @param lapsSeen   laps its feed has counted
     * @param metaint    ICY interval, 0 without ICY metadata
     * @param untilBlock audio bytes before its next ICY block
     * @param lastTitle  the last title an ICY block sent it, or null
     */
    record ListenerState(String mount, String home, String remoteAddress, String userAgent, Instant connectedAt,
                         long bytesSent, int laps, long position, boolean first, int lapsSeen, int metaint,
                         int untilBlock, String lastTitle) {
    }

    /** A continued listener: its session (leave it once when it ends) and its feed (give it to the engine). */
    record ContinuedListener(ListenUseCase.ListenerSession session, ListenerFeed feed) {
    }
}
