package org.tinyice.application.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.tinyice.application.port.in.StartSourceUseCase.SourceSession;
import org.tinyice.application.port.out.FallbackFiles.FallbackFile;
import org.tinyice.domain.mount.Mount;

/**
 * One file mount's source: reads the file in a loop on its own thread and feeds it to the mount's
 * {@link SourceSession} in stretches of about {@value #STRETCH_MILLIS} ms, each when the previous
 * ones have played, so the ring fills at the file's own pace (its frames' durations for MP3,
 * {@code file_bitrate} otherwise) and every listener of the mount hears the same position.
 *
 * <p>A take-over stops it between two stretches ({@link #freeze}); the new process's player goes on from
 * the file position of the first byte its mount has not had ({@link #FilePlayer(FileMounts, FallbackFile,
 * int, FileMounts.Timing, long)}).
 */
final class FilePlayer implements Runnable {

    private static final System.Logger LOG = System.getLogger(FilePlayer.class.getName());

    static final long STRETCH_MILLIS = 100;
    private static final long STRETCH_NANOS = TimeUnit.MILLISECONDS.toNanos(STRETCH_MILLIS);
    /** Further behind than this (the machine stalled), the player carries on from now instead of rushing. */
    private static final long MAX_LAG_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final FileMounts owner;
    private final FallbackFile file;
    private final int fallbackKbps;
    private final FileMounts.Timing timing;
    private volatile Mount mount;
    private volatile SourceSession session;
    private volatile Thread thread;
    private volatile boolean stopped;
    private volatile long lastWantedNanos;
    /** Where its first turn through the file starts (a player continued from another process); then 0. */
    private final long startAt;
    /** The file position of the first byte the mount has not had: written by the player's thread only. */
    private volatile long fed;
    /** Stopped for a take-over: the mount stays, to be handed over, instead of ending. */
    private volatile boolean handingOver;

    FilePlayer(FileMounts owner, FallbackFile file, int fallbackKbps, FileMounts.Timing timing) {
        this(owner, file, fallbackKbps, timing, 0);
    }

    /** @param startAt where in the file to start (a take-over: where the old process's player stopped) */
    FilePlayer(FileMounts owner, FallbackFile file, int fallbackKbps, FileMounts.Timing timing, long startAt) {
        this.owner = owner;
        this.file = file;
        this.fallbackKbps = fallbackKbps;
        this.timing = timing;
        this.startAt = startAt;
    }

    String path() {
        return file.mountPath();
    }

    Mount mount() {
        return mount;
    }

    SourceSession session() {
        return session;
    }

    /** Starts playing into the started mount. */
    void begin(FileMounts.Started started, long nowNanos) {
        this.mount = started.mount();
        this.session = started.session();
        this.lastWantedNanos = nowNanos;
        Thread t = timing.threads().newThread(this);
        this.thread = t;
        t.start();
    }

    /** Someone was handed this mount, or it has listeners: it must not stop for a while. */
    void wanted(long nowNanos) {
        lastWantedNanos = nowNanos;
    }

    boolean idleFor(long lingerNanos, long nowNanos) {
        return mount.listenerCount() == 0 && nowNanos - lastWantedNanos >= lingerNanos;
    }

    /** Stops the thread (a source takes the path over, admin "kill source", shutdown); its mount then ends. */
    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    /**
     * A take-over: the player stops between two stretches (a stretch read and not yet fed is read again by
     * the next process), its mount stays as it is for the hand-over.
     *
     * @return the file position of the first byte the mount has not had; empty if it did not stop in time
     */
    java.util.OptionalLong freeze() throws InterruptedException {
        handingOver = true;
        stop();
        join(TimeUnit.SECONDS.toNanos(5));
        Thread t = thread;
        return t != null && t.isAlive() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(fed);
    }

    void join(long nanos) throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join(Duration.ofNanos(nanos));
        }
    }

    @Override
    public void run() {
        try {
            play();
        } catch (InterruptedException e) {
            // stopped
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                LOG.log(System.Logger.Level.WARNING, "file mount " + path() + " stopped: cannot read the file", e);
            }
        } finally {
            owner.ended(this);
            if (handingOver) {
                session.handOver(); // what was fed is published; the mount goes to the new process
            } else {
                session.finish(); // listeners move on to this mount's own fallback, if any; nothing if taken over
            }
        }
    }

    private void play() throws IOException, InterruptedException {
        long clockStart = timing.nanoClock().getAsLong();
        long played = 0; // nanoseconds of audio fed since clockStart
        ByteArrayOutputStream stretch = new ByteArrayOutputStream();
        long from = startAt;
        while (!stopped) {
            // a player continued from another process starts where that one stopped: not at the file's start,
            // so reaching its end at once is no sign of a file without audio
            boolean anyAudio = from > 0;
            try (InputStream in = file.open()) {
                FileAudio audio = FileAudio.of(file.contentType(), in, fallbackKbps, from);
                from = 0;
                fed = audio.position();
                while (!stopped) {
                    stretch.reset();
                    long nanos = audio.read(stretch, STRETCH_NANOS);
                    if (nanos == 0) {
                        break; // the end of the file: round again
                    }
                    anyAudio = true;
                    long now = timing.nanoClock().getAsLong();
                    long wait = clockStart + played - now;
                    if (wait > 0) {
                        timing.sleeper().sleepNanos(wait);
                    } else if (wait < -MAX_LAG_NANOS) {
                        clockStart = now - played;
                    }
                    if (stopped) {
                        return;
                    }
                    session.flushIfDue(); // what the assembler held back from earlier stretches, once its delay is up
                    session.receive(stretch.toByteArray(), 0, stretch.size());
                    fed = audio.position();
                    played += nanos;
                    now = timing.nanoClock().getAsLong();
                    if (mount.listenerCount() > 0) {
                        wanted(now);
                    } else if (owner.retireIfIdle(this, now)) {
                        return;
                    }
                }
            }
            if (!anyAudio) {
                LOG.log(System.Logger.Level.WARNING, "file mount {0} stopped: the file holds no audio it can play",
                        path());
                return;
            }
        }
    }
}
