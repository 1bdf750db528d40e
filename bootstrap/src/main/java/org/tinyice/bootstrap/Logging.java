package org.tinyice.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.tinyice.adapters.http.observe.AccessLog;
import org.tinyice.application.config.AccessLogSettings;
import org.tinyice.application.health.Faults;

/**
 * Application logs go through {@code System.Logger} (the JDK's facade; java.util.logging behind it
 * unless another backend is on the class path). The access log is a plain file in the data directory,
 * rotated by size ({@code access_log} in the configuration).
 */
final class Logging {

    /** Kept reachable: java.util.logging holds loggers weakly, and a collected logger loses its handler. */
    private static Logger accessLogger;

    private Logging() {
    }

    static synchronized void configureAccessLog(Path dataDir, AccessLogSettings rotation, Faults faults) {
        try {
            Files.createDirectories(dataDir);
            RotatingFileHandler file = new RotatingFileHandler(dataDir.resolve("access.log"), rotation, faults);
            Logger logger = Logger.getLogger(AccessLog.LOGGER);
            for (var old : logger.getHandlers()) {
                logger.removeHandler(old);
                old.close();
            }
            logger.addHandler(file);
            logger.setUseParentHandlers(false);
            accessLogger = logger;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the access log in " + dataDir, e);
        }
    }
}
