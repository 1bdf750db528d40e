package org.tinyice.bootstrap;

import java.io.PrintStream;
import org.tinyice.application.configuration.ReloadConfiguration;

/**
 * {@code kill -HUP <pid>} reloads {@code tinyice.json}, as it does for Icecast. The JDK's only way to
 * catch a signal is {@code sun.misc.Signal} (module {@code jdk.unsupported}, there since Java 1.4 and
 * kept for exactly this); its handler runs on a JVM thread that must return quickly, so the reload
 * (which may hash a password) runs on a virtual thread of its own.
 */
final class ReloadOnHangup {

    private ReloadOnHangup() {
    }

    /** Installs the handler; where signals cannot be caught (-Xrs, no SIGHUP) it says so and goes on. */
    static void install(ReloadConfiguration reload, PrintStream out, PrintStream err) {
        try {
            sun.misc.SignalHandler before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                out.println("tinyice: SIGHUP received, reading the configuration file again");
                Thread.ofVirtual().name("tinyice-reload").start(() -> {
                    ReloadConfiguration.Outcome outcome = reload.reload();
                    PrintStream to = outcome.reloaded() ? out : err;
                    outcome.lines().forEach(line -> to.println("tinyice: " + line));
                });
            });
            if (before == sun.misc.SignalHandler.SIG_IGN) {
                // an ignored SIGHUP is inherited (nohup, some process managers) and the JVM keeps it
                // ignored: the handler above is registered but never called, and a reload would be lost
                err.println("tinyice: SIGHUP is ignored in this process (started under nohup?), so kill -HUP will not"
                        + " reload the configuration; start it without nohup, or with env --default-signal=HUP");
            }
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("tinyice: SIGHUP cannot be caught here (" + e.getMessage() + "): restart to reload the"
                    + " configuration");
        }
    }
}
