package org.tinyice.bootstrap;

import io.avaje.inject.BeanScope;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.tinyice.adapters.http.TinyIceHttpServer;
import org.tinyice.application.config.CurrentConfig;
import org.tinyice.application.config.TlsConfig;
import org.tinyice.application.configuration.PrepareConfiguration;
import org.tinyice.application.health.Faults;
import org.tinyice.application.configuration.ReloadConfiguration;
import org.tinyice.application.port.out.ConfigurationStore.InvalidConfigurationException;
import org.tinyice.application.stream.FileMounts;
import org.tinyice.application.stream.HlsStreams;
import org.tinyice.application.stream.MasterRelays;
import org.tinyice.application.stream.Relays;

/** Starts TinyIce: {@code java -jar tinyice.jar [--port N] [--host ADDR] [--config FILE] [--data-dir DIR]}. */
public final class Main {

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
        stopped.await();
    }

    /** A started server and the scope that owns it. */
    public record Running(BeanScope scope, TinyIceHttpServer server) implements AutoCloseable {
        public int port() {
            return server.port();
        }

        @Override
        public void close() {
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

    /** Wires and starts everything; used by {@link #main} and by the integration tests. */
    public static Running start(StartupOptions options) {
        BeanScope scope = BeanScope.builder().bean(StartupOptions.class, options).build();
        try {
            for (String notice : scope.get(PrepareConfiguration.Prepared.class).notices()) {
                System.out.println(notice);
            }
            Logging.configureAccessLog(options.dataDir(), scope.get(CurrentConfig.class).get().accessLog(),
                    scope.get(Faults.class));
            TinyIceHttpServer server = scope.get(TinyIceHttpServer.class).start();
            CurrentConfig current = scope.get(CurrentConfig.class);
            var config = current.get();
            if (config.port() != server.port()) {
                // --port 0 picked a free port: status and playlists must name the real one
                config = config.withListenAddress(config.host(), server.port());
                current.replace(config);
            }
            if (config.tls().isPresent() && server.httpsPort().orElseThrow() != config.tls().get().port()) {
                var tls = config.tls().get();
                config = config.withTls(Optional.of(new TlsConfig(server.httpsPort().orElseThrow(), tls.cert(),
                        tls.key(), tls.httpsRedirect())));
                current.replace(config);
            }
            System.out.println("TinyIce listening on " + config.host() + ":" + server.port()
                    + (server.httpsPort().map(p -> ", HTTPS on " + p).orElse(""))
                    + " (config " + options.configFile().toAbsolutePath() + ")");
            server.shoutcast().sync(config).forEach(System.out::println);
            scope.get(Relays.class).sync(config.relays());
            scope.get(MasterRelays.class).start();
            scope.get(HlsStreams.class).start();
            scope.get(Readiness.class).set(true);
            return new Running(scope, server);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }
}
