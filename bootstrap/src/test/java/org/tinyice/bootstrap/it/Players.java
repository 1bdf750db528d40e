package org.tinyice.bootstrap.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a real player makes of a mount: curl records two seconds of it, ffprobe names what it got. */
final class Players {

    private Players() {
    }

    /**
     * Records two seconds of {@code url} into {@code dir/name} with curl and checks that ffprobe reads it as
     * MP3. A source that just started has at least its burst to give, hence the 16 KiB floor.
     */
    static void assertRecordsMp3(Path dir, String url, String name) throws Exception {
        Path received = dir.resolve(name);
        ExternalProcess.Result curl = ExternalProcess.run(dir, 30, List.of("curl", "-sS", "-m", "2", "-o",
                received.toString(), url));
        // 28: curl's own time limit ended it, as a listener who stops listening would; anything else is a failure
        assertEquals(28, curl.exitCode(), curl.output());
        assertTrue(Files.size(received) > 16 * 1024, "two seconds of " + url + ": got " + Files.size(received)
                + " bytes");
        ExternalProcess.Result probe = ExternalProcess.run(dir, 30, List.of("ffprobe", "-v", "error",
                "-show_entries", "stream=codec_name", "-of", "compact", received.toString()));
        assertEquals(0, probe.exitCode(), probe.output());
        assertTrue(probe.output().contains("codec_name=mp3"), probe.output());
    }
}
