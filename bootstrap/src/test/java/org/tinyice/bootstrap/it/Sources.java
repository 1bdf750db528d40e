package org.tinyice.bootstrap.it;

import java.time.Duration;

/** Waiting for a source to appear, shared by the integration tests. */
final class Sources {

    private Sources() {
    }

    /** Waits until {@code mount} is listed in status; fails at once, with its output, if the source exits. */
    static void awaitMount(TestServer server, String mount, ExternalProcess source) throws Exception {
        Eventually.await(Duration.ofSeconds(15), mount + " is live (" + source + ")", () -> {
            if (!source.isAlive()) {
                throw new Eventually.GiveUp("source exited: " + source.output());
            }
            return server.statusJson().contains(mount + "\"");
        });
    }
}
