package org.tinyice.bootstrap;

import java.time.Duration;
import java.util.List;
import org.tinyice.adapters.http.icecast.ShoutcastPorts;
import org.tinyice.application.config.CurrentConfig;

/**
 * After a take-over, the SHOUTcast ports the new process could not open yet: the old process closes its
 * sockets when the update starts, but an older TinyIce holds them (without {@code SO_REUSEPORT}) until it
 * exits. Tried again twice a second until they open, for as long as an old process may drain.
 */
final class ShoutcastPortsRetry {

    private static final Duration EVERY = Duration.ofMillis(500);
    private static final Duration AT_MOST = Duration.ofMinutes(10);

    private ShoutcastPortsRetry() {
    }

    static boolean failed(String syncLine) {
        return syncLine.contains("could not be opened");
    }

    static void start(ShoutcastPorts ports, CurrentConfig config) {
        Thread.ofVirtual().name("tinyice-shoutcast-ports-retry").start(() -> {
            long deadline = System.nanoTime() + AT_MOST.toNanos();
            while (System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(EVERY);
                } catch (InterruptedException e) {
                    return;
                }
                List<String> lines = ports.sync(config.get());
                lines.stream().filter(line -> !failed(line)).forEach(System.out::println);
                if (lines.stream().noneMatch(ShoutcastPortsRetry::failed)) {
                    return;
                }
            }
            System.out.println("SHOUTcast ports still not open " + AT_MOST.toMinutes()
                    + " min after the take-over: kill -HUP this process to try again");
        });
    }
}
