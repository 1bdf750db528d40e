package org.tinyice.bootstrap;

import io.avaje.inject.BeanScope;
import java.util.List;
import java.util.Optional;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.adapters.http.takeover.TakeOver;
import org.tinyice.adapters.http.takeover.TakeOverChannel;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.TlsConfig;
import org.tinyice.application.configuration.PrepareConfiguration;
import org.tinyice.application.health.Faults;
import org.tinyice.application.configuration.ReloadConfiguration;
import org.tinyice.application.port.in.HandOverStreamsUseCase;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;
import org.tinyice.application.stream.FileMounts;
import org.tinyice.application.stream.HlsStreams;
import org.tinyice.application.stream.MasterRelays;
import org.tinyice.application.stream.Relays;
import org.tinyice.domain.mount.MountRegistry;

/**
 * Starts TinyIce: {@code java -jar tinyice.jar [--port N] [--host ADDR] [--config FILE] [--data-dir DIR]
 * [--take-over] [--drain-limit S]}.
 */
public final class Main {

    private static final long MIN_DRAIN_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        StartupOptions options;
        try {
            options = StartupOptions.parse(args, System.getenv());
        } catch (StartupOptions.HelpRequested help) {
            System.out.print(StartupOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("tinyice: " + e.getMessage());
            System.err.print(StartupOptions.USAGE);
            System.exit(2);
            return;
        }
        Running running;
        try {
            running = start(options);
        } catch (InvalidConfigurationException e) {
            System.err.println("tinyice: configuration error: " + e.getMessage());
            System.exit(1);
            return;
        } catch (IllegalStateException e) {
            System.err.println("tinyice: " + e.getMessage());
            System.exit(1);
            return;
        }
        ReloadOnHangup.install(running.scope().get(ReloadConfiguration.class), System.out, System.err);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            stopped.countDown();
        }, "tinyice-shutdown"));
        // last: whoever waits for this line (a script, a test) may send SIGHUP or SIGTERM right after it
        CurrentConfig config = running.scope().get(CurrentConfig.class);
        System.out.println("TinyIce listening on " + config.get().host() + ":" + running.port()
                + running.server().httpsPort().map(p -> ", HTTPS on " + p).orElse("")
                + " (config " + options.configFile().toAbsolutePath() + ")");
        stopped.await();
    }

    /** A started server and the scope that owns it. */
    public record Running(BeanScope scope, TinyIceHttpServer server, AtomicReference<TakeOverChannel> takeOver)
            implements AutoCloseable {
        public int port() {
            return server.port();
        }

        /**
         * Taken over: another process accepts on the port now. Relays and file mounts stop here (those
         * reading went over with their mounts; the new process runs its own); sources and listeners
         * connected here are served until they leave or
         * {@code limit} passes; then the process exits (the shutdown hook closes the rest and writes the history).
         */
        void drainAndExit(java.util.Set<String> handedOver, Duration limit) {
            scope.get(FileMounts.class).close();
            scope.get(MasterRelays.class).close();
            scope.get(Relays.class).close();
            MountRegistry mounts = scope.get(MountRegistry.class);
            // the mounts handed over stay in the registry (their rings went, their listeners with them)
            java.util.function.BooleanSupplier kept = () -> mounts.all().stream()
                    .anyMatch(mount -> !handedOver.contains(mount.path()));
            long start = System.nanoTime();
            long deadline = start + limit.toNanos();
            // at least a moment: a page or status request accepted just before the hand-over is answered
            while ((System.nanoTime() - start < MIN_DRAIN_NANOS || kept.getAsBoolean())
                    && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            System.out.println("take-over: " + (!kept.getAsBoolean() ? "no connection left" : "drain limit reached")
                    + "; exiting");
            System.exit(0);
        }

        @Override
        public void close() {
            TakeOverChannel channel = takeOver.getAndSet(null);
            if (channel != null) {
                channel.close();
            }
            scope.get(Readiness.class).set(false);
            // first, so that sources leaving with the server start no file mount; their listeners are let go
            scope.get(FileMounts.class).close();
            scope.get(MasterRelays.class).close(); // first, so that it starts no relay while they stop
            scope.get(Relays.class).close();
            scope.get(HlsStreams.class).close();
            server.close();
            scope.get(HistoryRuntime.class).close();
            scope.close();
        }
    }

    /**
     * Wires and starts everything; used by {@link #main} (which then says where it listens) and by the
     * integration tests.
     */
    public static Running start(StartupOptions options) {
        BeanScope scope = BeanScope.builder().bean(StartupOptions.class, options).build();
        AtomicReference<TakeOverChannel> takeOver = new AtomicReference<>();
        try {
            for (String notice : scope.get(PrepareConfiguration.Prepared.class).notices()) {
                System.out.println(notice);
            }
            Logging.configureAccessLog(options.dataDir(), scope.get(CurrentConfig.class).get().accessLog(),
                    scope.get(Faults.class));
            if (!options.takeOver()) {
                try {
                    TakeOverChannel.refuseIfServed(options.dataDir());
                } catch (IOException e) {
                    System.out.println("take-over channel: " + e.getMessage());
                }
            }
            if (!options.takeOver() && !options.sharePort()) {
                PortsInUse.refuseIfServed(scope.get(CurrentConfig.class).get());
            }
            TinyIceHttpServer server = scope.get(TinyIceHttpServer.class).start();
            if (options.takeOver()) {
                try {
                    long started = System.nanoTime();
                    TakeOver.Result took = TakeOver.from(options.dataDir(), server, scope.get(HandOverStreamsUseCase.class),
                            scope.get(CurrentConfig.class).get().limits().sourceIdleTimeout());
                    System.out.println("take-over: accepting on port " + took.port() + " in place of the old process, with "
                            + took.mounts() + " mount(s) and " + took.listeners() + " listener(s) handed over, in "
                            + java.time.Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
                } catch (IOException e) {
                    throw new IllegalStateException("--take-over failed: " + e.getMessage(), e);
                }
            }
            CurrentConfig current = scope.get(CurrentConfig.class);
            var config = current.get();
            if (config.port() != server.port()) {
                // --port 0 picked a free port (or a take-over took the old one's): status and playlists
                // must name the real one
                config = config.withListenAddress(config.host(), server.port());
                current.replace(config);
            }
            if (config.tls().isPresent() && server.httpsPort().orElseThrow() != config.tls().get().port()) {
                var tls = config.tls().get();
                config = config.withTls(Optional.of(new TlsConfig(server.httpsPort().orElseThrow(), tls.cert(),
                        tls.key(), tls.httpsRedirect())));
                current.replace(config);
            }
            Running running = new Running(scope, server, takeOver);
            try {
                takeOver.set(TakeOverChannel.open(options.dataDir(), server, scope.get(HandOverStreamsUseCase.class),
                        () -> current.get().limits().sourceIdleTimeout(),
                        handed -> running.drainAndExit(handed, options.drainLimit())));
            } catch (IOException e) {
                // e.g. a data directory whose path is too long for a Unix socket (108 bytes)
                System.out.println("take-over channel not opened (" + e.getMessage()
                        + "): this server cannot be updated with --take-over");
            }
            List<String> shoutcastPorts = server.shoutcast().sync(config);
            shoutcastPorts.forEach(System.out::println);
            if (options.takeOver() && shoutcastPorts.stream().anyMatch(ShoutcastPortsRetry::failed)) {
                ShoutcastPortsRetry.start(server.shoutcast(), current);
            }
            scope.get(Relays.class).sync(config.relays());
            scope.get(MasterRelays.class).start();
            scope.get(HlsStreams.class).start();
            scope.get(Readiness.class).set(true);
            return running;
        } catch (RuntimeException e) {
            TakeOverChannel channel = takeOver.get();
            if (channel != null) {
                channel.close();
            }
            scope.close();
            throw e;
        }
    }
}
