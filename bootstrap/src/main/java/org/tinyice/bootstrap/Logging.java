package org.tinyice.bootstrap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.tinyice.adapters.http.observe.AccessLog;

/**
 * Application logs go through {@code System.Logger} (the JDK's facade; java.util.logging behind it
 * unless another backend is on the class path). The access log is a plain file in the data directory.
 */
final class Logging {

    /** Kept reachable: java.util.logging holds loggers weakly, and a collected logger loses its handler. */
    private static Logger accessLogger;

    private Logging() {
    }

    static synchronized void configureAccessLog(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            FileHandler file = new FileHandler(dataDir.resolve("access.log").toString(), true);
            file.setFormatter(new Formatter() {
                @Override
                public String format(LogRecord record) {
                    return record.getMessage() + System.lineSeparator();
                }
            });
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
