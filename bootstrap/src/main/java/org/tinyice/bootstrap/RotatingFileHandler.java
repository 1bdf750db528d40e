package org.tinyice.bootstrap;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.tinyice.application.config.AccessLogSettings;

/**
 * Writes each record's message as one line to a file and rotates it the way logrotate does: the full
 * file becomes {@code name.1}, an older {@code name.1} becomes {@code name.2}, and so on, the oldest
 * beyond the kept count is deleted. The JDK's FileHandler rotates too, but then no file is called
 * {@code access.log} any more (it numbers the current one as well), which every log tool expects.
 *
 * <p>One line per listener visit: the flush after each line costs nothing that matters and keeps the
 * file complete for whoever tails it.
 */
final class RotatingFileHandler extends Handler {

    private final Path file;
    private final AccessLogSettings rotation;
    private OutputStream out;
    private long size;

    RotatingFileHandler(Path file, AccessLogSettings rotation) throws IOException {
        this.file = file;
        this.rotation = rotation;
        open();
    }

    private void open() throws IOException {
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record) || out == null) {
            return;
        }
        byte[] line = (record.getMessage() + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        try {
            if (rotation.maxBytes() > 0 && size > 0 && size + line.length > rotation.maxBytes()) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
        } catch (IOException e) {
            reportError("cannot write " + file, e, ErrorManager.WRITE_FAILURE);
        }
    }

    private void rotate() throws IOException {
        out.close();
        out = null;
        Files.deleteIfExists(numbered(rotation.files()));
        for (int n = rotation.files() - 1; n >= 1; n--) {
            Path older = numbered(n);
            if (Files.exists(older)) {
                Files.move(older, numbered(n + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path numbered(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    @Override
    public synchronized void flush() {
        try {
            if (out != null) {
                out.flush();
            }
        } catch (IOException e) {
            reportError("cannot flush " + file, e, ErrorManager.FLUSH_FAILURE);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            reportError("cannot close " + file, e, ErrorManager.CLOSE_FAILURE);
        } finally {
            out = null;
        }
    }
}
