package org.tinyice.bootstrap.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real encoders, set up the way radio people run them. */
public final class Encoders {

    private Encoders() {
    }

    /** ffmpeg as an Icecast PUT source: a sine tone as 128 kbit/s MP3, paced in real time. */
    public static ExternalProcess ffmpegMp3(Path dir, TestServer server, String mount, String... iceOptions)
            throws IOException {
        return ffmpegMp3To(dir, server.icecastUrl(mount), iceOptions);
    }

    /** The same, to any {@code icecast://} URL (e.g. the HTTPS port with {@code -tls 1}). */
    public static ExternalProcess ffmpegMp3To(Path dir, String icecastUrl, String... iceOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=600",
                "-c:a", "libmp3lame", "-b:a", "128k", "-content_type", "audio/mpeg"));
        command.addAll(List.of(iceOptions));
        command.addAll(List.of("-f", "mp3", icecastUrl));
        return ExternalProcess.start(dir, command);
    }

    /** ffmpeg streaming Ogg Opus (PUT, application/ogg). */
    public static ExternalProcess ffmpegOpus(Path dir, TestServer server, String mount) throws IOException {
        return ExternalProcess.start(dir, List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=600",
                "-c:a", "libopus", "-b:a", "64k", "-content_type", "application/ogg", "-ice_name", "Opus Stream",
                "-f", "ogg", server.icecastUrl(mount)));
    }

    /** A 128 kbit/s MP3 file of {@code seconds} for file-based encoders (shout, ezstream). */
    public static Path mp3File(Path dir, int seconds) throws IOException, InterruptedException {
        return mp3File(dir, seconds, List.of());
    }

    /**
     * As {@link #mp3File(Path, int)}, nothing but MP3 frames (no ID3 tag, no Xing frame): played in a loop,
     * its last frame is followed by its first, one unbroken chain.
     */
    public static Path mp3FramesFile(Path dir, int seconds) throws IOException, InterruptedException {
        return mp3File(dir, seconds, List.of("-id3v2_version", "0", "-write_xing", "0"));
    }

    private static Path mp3File(Path dir, int seconds, List<String> muxerOptions)
            throws IOException, InterruptedException {
        Path file = dir.resolve("tone-" + seconds + (muxerOptions.isEmpty() ? "" : "-frames") + ".mp3");
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error",
                "-y", "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100:duration=" + seconds,
                "-c:a", "libmp3lame", "-b:a", "128k"));
        command.addAll(muxerOptions);
        command.add(file.toString());
        ExternalProcess.Result result = ExternalProcess.run(dir, 60, command);
        if (result.exitCode() != 0) {
            throw new AssertionError("ffmpeg could not make a test file: " + result.output());
        }
        return file;
    }
}
