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
import org.tinyice.application.health.Faults;

/**
 * Writes each record's message as one line to a file and rotates it the way logrotate does: the full
 * file becomes {@code name.1}, an older {@code name.1} becomes {@code name.2}, and so on, the oldest
 * beyond the kept count is deleted. The JDK's FileHandler rotates too, but then no file is called
 * {@code access.log} any more (it numbers the current one as well), which every log tool expects.
 *
 * <p>One line per listener visit: the flush after each line costs nothing that matters and keeps the
 * file complete for whoever tails it.
 *
 * <p>A line that cannot be written (the disk is full, the data directory was deleted and cannot be made
 * again) is dropped: an access log line is nobody's acknowledged data, and holding lines would hold
 * memory for as long as the disk stays full. The failure shows on the {@link Faults} board as
 * {@value #PART}, logged once, and clears with the next line written. Before each line the handler looks
 * whether the file is still there: a deleted file would take the lines without error and lose them.
 */
final class RotatingFileHandler extends Handler {

    static final String PART = "access log";

    private final Path file;
    private final AccessLogSettings rotation;
    private final Faults faults;
    private OutputStream out;
    private long size;
    private long droppedLines;

    RotatingFileHandler(Path file, AccessLogSettings rotation, Faults faults) throws IOException {
        this.file = file;
        this.rotation = rotation;
        this.faults = faults;
        open();
    }

    private void open() throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        size = Files.size(file);
    }

    private void reopen() throws IOException {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // the file it wrote to is gone; nothing to keep
            }
            out = null;
        }
        open();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (!isLoggable(record) || closed) {
            return;
        }
        byte[] line = (record.getMessage() + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        try {
            if (out == null || !Files.exists(file)) {
                reopen();
            }
            if (rotation.maxBytes() > 0 && size > 0 && size + line.length > rotation.maxBytes()) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
            if (droppedLines > 0) {
                faults.cleared(PART);
                droppedLines = 0;
            }
        } catch (IOException e) {
            droppedLines++;
            faults.failed(PART, file + ": cannot write (" + e.getMessage() + "); its lines are dropped until it"
                    + " can", e);
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

    private boolean closed;

    @Override
    public synchronized void close() {
        closed = true;
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
