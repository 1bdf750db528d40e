package org.tinyice.bootstrap;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.tinyice.adapters.http.takeover.TakeOverChannel;
import org.tinyice.application.configuration.PrepareConfiguration.EnvironmentCredentials;

/**
 * What the command line and the environment say, before the configuration file is read.
 *
 * @param host       {@code --host}, overrides the file
 * @param port       {@code --port}, overrides the file (0: any free port)
 * @param configFile {@code --config}, default {@code tinyice.json} in the working directory
 * @param dataDir    {@code --data-dir}, default the working directory
 * @param takeOver   {@code --take-over}: replace the TinyIce serving this data directory without a
 *                   refused connect (zero-downtime update)
 * @param drainLimit {@code --drain-limit}: once taken over, how long this process may go on finishing
 *                   the connections it has before it closes them and exits
 * @param sharePort  {@code --share-port}: start beside another process listening on the same port (a
 *                   cluster's edges, {@code scripts/cluster.sh}); without it such a start is refused
 */
public record StartupOptions(Optional<String> host, Optional<Integer> port, Path configFile, Path dataDir,
                             EnvironmentCredentials environment, boolean takeOver, Duration drainLimit,
                             boolean sharePort) {

    /** Five minutes: a listener who connected just before the update hears a few songs before it ends. */
    static final Duration DEFAULT_DRAIN_LIMIT = Duration.ofMinutes(5);

    public StartupOptions(Optional<String> host, Optional<Integer> port, Path configFile, Path dataDir,
                          EnvironmentCredentials environment) {
        this(host, port, configFile, dataDir, environment, false, DEFAULT_DRAIN_LIMIT, false);
    }

    static final String USAGE = """
            Usage: tinyice [--port N] [--host ADDR] [--config FILE] [--data-dir DIR] [--take-over] [--drain-limit S]
                           [--share-port]
              --port N        port for sources, listeners and admin (default 8000, or the config file's)
              --host ADDR     address to bind (default 0.0.0.0, or the config file's)
              --config FILE   configuration file (default ./tinyice.json; created on first start)
              --data-dir DIR  where TinyIce keeps its data (default: the working directory)
              --take-over     replace the TinyIce running with this data directory: take its port over
                              with no refused connect; the old one finishes its connections and exits
              --take-over-if-running  --take-over if a TinyIce runs with this data directory, else a plain
                              start (put it after --data-dir; for service managers)
              --drain-limit S once taken over, close what is still open after S seconds and exit (default 300)
              --share-port    start even though another process listens on the port, and share it (a
                              cluster's edges: the kernel spreads new connections over them)
            Environment: TINYICE_ADMIN_USER, TINYICE_ADMIN_PASSWORD, TINYICE_SOURCE_PASSWORD
            """;

    /** Parses {@code args}; throws {@link IllegalArgumentException} with a message for the user. */
    static StartupOptions parse(String[] args, Map<String, String> env) {
        Optional<String> host = Optional.empty();
        Optional<Integer> port = Optional.empty();
        Path config = Path.of("tinyice.json");
        Path data = Path.of(".");
        boolean takeOver = false;
        boolean sharePort = false;
        Duration drainLimit = DEFAULT_DRAIN_LIMIT;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--take-over")) {
                takeOver = true;
                continue;
            }
            if (arg.equals("--share-port")) {
                sharePort = true;
                continue;
            }
            if (arg.equals("--take-over-if-running")) {
                // systemd's ExecStart: take over when a TinyIce serves the data directory, else start
                takeOver = TakeOverChannel.answers(data);
                continue;
            }
            String value;
            int equals = arg.indexOf('=');
            String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (name.equals("--help") || name.equals("-h")) {
                throw new HelpRequested();
            }
            if (equals > 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            switch (name) {
                case "--host" -> host = Optional.of(value);
                case "--port" -> {
                    try {
                        int p = Integer.parseInt(value);
                        if (p < 0 || p > 65_535) {
                            throw new NumberFormatException();
                        }
                        port = Optional.of(p);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + value + "'");
                    }
                }
                case "--config" -> config = Path.of(value);
                case "--data-dir" -> data = Path.of(value);
                case "--drain-limit" -> {
                    try {
                        long seconds = Long.parseLong(value);
                        if (seconds < 0 || seconds > 86_400) {
                            throw new NumberFormatException();
                        }
                        drainLimit = Duration.ofSeconds(seconds);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--drain-limit must be a number of seconds from 0 to 86400, not '"
                                + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        EnvironmentCredentials credentials = new EnvironmentCredentials(nonBlank(env.get("TINYICE_ADMIN_USER")),
                nonBlank(env.get("TINYICE_ADMIN_PASSWORD")), nonBlank(env.get("TINYICE_SOURCE_PASSWORD")));
        return new StartupOptions(host, port, config, data, credentials, takeOver, drainLimit, sharePort);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    /** {@code --help} was given. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }
}
