package org.tinyice.adapters.http.tls;

import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The HTTPS port's certificate and key files: read at start, read again when they change (watched) or
 * on demand (SIGHUP), and each new pair that passes {@link PemCertificate}'s checks handed to the
 * server ({@code WebServer.reloadTls}), so new handshakes get it while open connections keep theirs.
 * A pair that fails is logged and the running certificate stays.
 */
public final class CertificateFiles implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CertificateFiles.class.getName());
    /**
     * How long the files must be quiet before they are read: certbot and {@code cp} write the
     * certificate and key one after the other, and a read between the two sees a mismatched pair.
     */
    private static final long SETTLE_MILLIS = 500;

    private final Path certFile;
    private final Path keyFile;
    private final Clock clock;
    private volatile PemCertificate current;
    private volatile String lastError = "";
    private volatile Consumer<Tls> installer = tls -> { };
    private WatchService watcher;
    private Thread watching;

    /** Reads the pair now; a pair that fails stops the start (there is no running certificate to keep). */
    public CertificateFiles(Path certFile, Path keyFile, Clock clock) throws PemCertificate.Refused {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.clock = clock;
        this.current = PemCertificate.read(certFile, keyFile, clock.instant());
    }

    public PemCertificate current() {
        return current;
    }

    /** The last refusal's message, empty once a good pair was loaded after it. */
    public String lastError() {
        return lastError;
    }

    /**
     * Reads the files again and installs the pair if it differs from the running one and passes the checks.
     *
     * @return a line for the log: what was loaded, that nothing changed, or why the new pair was refused
     */
    public synchronized String reload() {
        PemCertificate fresh;
        try {
            fresh = PemCertificate.read(certFile, keyFile, clock.instant());
        } catch (PemCertificate.Refused refused) {
            lastError = refused.getMessage();
            String line = "TLS certificate not reloaded, the running one stays: " + refused.getMessage();
            LOG.log(Level.WARNING, line);
            return line;
        }
        lastError = "";
        if (fresh.fingerprint().equals(current.fingerprint())) {
            return "TLS certificate unchanged (" + current.fingerprint() + ")";
        }
        try {
            installer.accept(fresh.tls());
        } catch (RuntimeException e) {
            lastError = "the server did not take the new certificate: " + e;
            String line = "TLS certificate not reloaded, the running one stays: " + lastError;
            LOG.log(Level.WARNING, line, e);
            return line;
        }
        current = fresh;
        String line = "TLS certificate reloaded: " + fresh.subject() + ", valid until " + fresh.notAfter()
                + ", SHA-256 " + fresh.fingerprint();
        LOG.log(Level.INFO, line);
        return line;
    }

    /** Starts watching the files' directories; {@code install} puts a new pair in force. */
    public synchronized void watch(Consumer<Tls> install) {
        this.installer = install;
        Set<Path> directories = new HashSet<>();
        directories.add(certFile.toAbsolutePath().getParent());
        directories.add(keyFile.toAbsolutePath().getParent());
        try {
            watcher = FileSystems.getDefault().newWatchService();
            for (Path directory : directories) {
                // certbot's live/ holds symbolic links that it repoints: a create or a modify, by file or link
                directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "TLS certificate files not watched (reload with SIGHUP): " + e.getMessage());
            return;
        }
        WatchService service = watcher;
        watching = Thread.ofVirtual().name("tinyice-tls-watch").start(() -> watchLoop(service));
    }

    private void watchLoop(WatchService service) {
        try {
            while (true) {
                if (!concernsOurFiles(service.take())) {
                    continue; // the data directory also holds the database and the logs
                }
                // let a writer finish both files: drain what comes within the settle time, then read once
                WatchKey more;
                while ((more = service.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null) {
                    concernsOurFiles(more);
                }
                reload();
            }
        } catch (InterruptedException | ClosedWatchServiceException stopped) {
            // closed
        }
    }

    private boolean concernsOurFiles(WatchKey key) {
        boolean ours = false;
        for (var event : key.pollEvents()) {
            if (event.context() instanceof Path name
                    && (name.equals(certFile.getFileName()) || name.equals(keyFile.getFileName()))) {
                ours = true;
            } else if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                ours = true;
            }
        }
        key.reset();
        return ours;
    }

    /** The running certificate, for status pages: valid until, SHA-256. */
    public Optional<PemCertificate> running() {
        return Optional.ofNullable(current);
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // nothing to do at shutdown
            }
        }
        if (watching != null) {
            watching.interrupt();
        }
    }
}
