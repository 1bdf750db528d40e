import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * N HLS players against one live playlist, for scripts/hls-bench.sh. JDK 25 source-file mode, no
 * dependencies:
 *
 * <pre>
 *   java scripts/load/HlsClients.java --url http://127.0.0.1:8080/bench/index.m3u8 --clients 1000 \
 *       [--ramp S] [--settle S] [--duration S] [--bitrate BPS] [--server-pid PID] [--proxy-pid PID] \
 *       [--metrics-url URL] [--proxy-log FILE] [--json FILE]
 * </pre>
 *
 * Each player holds one kept-alive HTTP/1.1 connection (as a browser or a set-top box does) on a
 * virtual thread, and plays as RFC 8216 6.3.3 and 6.3.4 say: it starts three segments from the live
 * edge, fetches each new segment once, in order, and reloads the playlist one target duration after
 * it last began loading a changed one, or half a target duration after an unchanged one. Players
 * start evenly over the ramp; after the settle time every figure is counted over the window only.
 * Over the same window it samples the CPU (utime + stime ticks from /proc, one core = 100) of the
 * server ({@code --server-pid}), the proxy ({@code --proxy-pid}, with every process under it: nginx's
 * workers) and itself, the server's HLS request counters from its {@code /metrics}, and the byte
 * offsets of the proxy's access log at the window's start and end (so the caller can read the
 * window's lines). {@code --clients 0} samples an idle window.
 */
public final class HlsClients {

    static final Pattern METRIC = Pattern.compile("(?m)^(tinyice_hls_(playlist|segment)_requests_total)(\\{[^}]*})? ([0-9.eE+-]+)$");

    // figures over the whole run; the window's are end minus start
    static final LongAdder playlists = new LongAdder();
    static final LongAdder playlistsUnchanged = new LongAdder();
    static final LongAdder segments = new LongAdder();
    static final LongAdder segmentBytes = new LongAdder();
    static final LongAdder playlistBytes = new LongAdder();
    static final LongAdder errors = new LongAdder();
    static final LongAdder skipped = new LongAdder();
    static final LongAdder connects = new LongAdder();
    static final ConcurrentLinkedQueue<String> errorKinds = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Long> playlistMicros = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<Long> segmentMicros = new ConcurrentLinkedQueue<>();
    static volatile boolean inWindow;
    static volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        URI url = URI.create(required(options, "url"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "1000"));
        double ramp = Double.parseDouble(options.getOrDefault("ramp", String.valueOf(Math.max(2.0, clients / 250.0))));
        double settle = Double.parseDouble(options.getOrDefault("settle", "10"));
        double duration = Double.parseDouble(options.getOrDefault("duration", "60"));
        long bitrate = Long.parseLong(options.getOrDefault("bitrate", "128000"));
        long serverPid = Long.parseLong(options.getOrDefault("server-pid", "0"));
        long proxyPid = Long.parseLong(options.getOrDefault("proxy-pid", "0"));
        String metricsUrl = options.get("metrics-url");
        Path proxyLog = options.containsKey("proxy-log") ? Path.of(options.get("proxy-log")) : null;

        List<Player> players = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long rampNanos = (long) (ramp * 1e9);
        long rampStart = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long due = rampStart + rampNanos * i / Math.max(1, clients);
            sleepUntil(due);
            Player player = new Player(url, i);
            players.add(player);
            threads.add(Thread.ofVirtual().name("player-" + i).start(player::play));
        }
        Thread.sleep((long) (settle * 1000));

        Snapshot start = Snapshot.take(serverPid, proxyPid, metricsUrl, proxyLog, players);
        inWindow = true;
        Thread.sleep((long) (duration * 1000));
        inWindow = false;
        Snapshot end = Snapshot.take(serverPid, proxyPid, metricsUrl, proxyLog, players);

        running = false;
        players.forEach(Player::close);
        for (Thread thread : threads) {
            thread.interrupt();
            thread.join(2000);
        }
        report(options, clients, duration, bitrate, start, end);
        System.exit(0);
    }

    /** One player: its own connection, the RFC's reload timing, each new segment once. */
    static final class Player {
        final URI playlist;
        final String userAgent;
        final byte[] buffer = new byte[64 * 1024];
        Socket socket;
        BufferedInputStream in;
        OutputStream out;
        volatile long bytes;      // segment bytes received, read by the snapshots
        long lastSequence = -1;   // newest segment fetched
        String lastPlaylist = "";

        Player(URI playlist, int number) {
            this.playlist = playlist;
            this.userAgent = "HlsClients/1 player-" + number;
        }

        void play() {
            long targetMillis = 4000;
            while (running) {
                long began = System.nanoTime();
                boolean changed = true;
                try {
                    long t0 = System.nanoTime();
                    Answer answer = get(playlist.getRawPath());
                    record(playlistMicros, t0);
                    playlists.increment();
                    playlistBytes.add(answer.body.length);
                    if (answer.status != 200) {
                        fail("playlist " + answer.status);
                    } else {
                        String text = new String(answer.body, StandardCharsets.ISO_8859_1);
                        changed = !text.equals(lastPlaylist);
                        if (!changed) {
                            playlistsUnchanged.increment();
                        }
                        lastPlaylist = text;
                        Playlist parsed = Playlist.parse(text);
                        targetMillis = parsed.targetSeconds * 1000L;
                        fetchNewSegments(parsed);
                    }
                } catch (IOException e) {
                    fail(e.getClass().getSimpleName());
                    close();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // an answer this client cannot read: the connection's state is unknown, start afresh
                    fail(e.toString());
                    close();
                }
                // RFC 8216 6.3.4: a changed playlist is reloaded one target duration after the load
                // began, an unchanged one half a target duration after
                long wait = changed ? targetMillis : targetMillis / 2;
                try {
                    sleepUntil(began + wait * 1_000_000L);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void fetchNewSegments(Playlist parsed) throws IOException, InterruptedException {
            List<String> uris = parsed.uris;
            if (uris.isEmpty()) {
                return;
            }
            long first = parsed.mediaSequence;
            long next;
            if (lastSequence < 0) {
                // RFC 8216 6.3.3: not within three target durations of the end
                next = first + Math.max(0, uris.size() - 3);
            } else {
                next = lastSequence + 1;
                if (next < first) {
                    // the segments between fell out of the window before we asked: audio lost
                    if (inWindow) {
                        skipped.add(first - next);
                    }
                    next = first;
                }
            }
            for (long sequence = next; sequence < first + uris.size() && running; sequence++) {
                String path = playlist.resolve(uris.get((int) (sequence - first))).getRawPath();
                long t0 = System.nanoTime();
                Answer answer = get(path);
                record(segmentMicros, t0);
                segments.increment();
                if (answer.status != 200) {
                    fail("segment " + answer.status);
                } else {
                    segmentBytes.add(answer.body.length);
                    bytes += answer.body.length;
                }
                lastSequence = sequence;
            }
        }

        /** One GET on the kept-alive connection, reconnecting once if the server closed it while idle. */
        private Answer get(String path) throws IOException {
            boolean fresh = socket == null;
            try {
                return exchange(path);
            } catch (EOFException | java.net.SocketException closedWhileIdle) {
                close();
                if (fresh) {
                    throw closedWhileIdle;
                }
                return exchange(path);
            }
        }

        private Answer exchange(String path) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setSoTimeout(15_000);
                socket.connect(new InetSocketAddress(playlist.getHost(), playlist.getPort()), 10_000);
                in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
                out = socket.getOutputStream();
                connects.increment();
            }
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + playlist.getAuthority() + "\r\nUser-Agent: "
                    + userAgent + "\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String statusLine = line(in);
            if (statusLine == null) {
                throw new EOFException("closed before an answer");
            }
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2) {
                throw new IOException("not HTTP: " + statusLine);
            }
            int status = Integer.parseInt(parts[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close")
                            || (close && !value.equalsIgnoreCase("keep-alive"));
                    default -> { }
                }
            }
            byte[] body;
            if (chunked) {
                body = chunkedBody();
            } else if (length >= 0) {
                body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("body cut short");
                }
            } else {
                body = in.readAllBytes();
                close = true;
            }
            if (close) {
                close();
            }
            return new Answer(status, body);
        }

        private byte[] chunkedBody() throws IOException {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            while (true) {
                String size = line(in);
                if (size == null) {
                    throw new EOFException("chunked body cut short");
                }
                int semicolon = size.indexOf(';');
                int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (n == 0) {
                    while (true) {
                        String trailer = line(in);
                        if (trailer == null || trailer.isEmpty()) {
                            return body.toByteArray();
                        }
                    }
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        }

        void close() {
            Socket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    record Answer(int status, byte[] body) { }

    /** What a player reads from a live media playlist. */
    record Playlist(int targetSeconds, long mediaSequence, List<String> uris) {
        static Playlist parse(String text) {
            int target = 4;
            long sequence = 0;
            List<String> uris = new ArrayList<>();
            for (String raw : text.split("\n")) {
                String line = raw.strip();
                if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                    target = Integer.parseInt(line.substring(line.indexOf(':') + 1));
                } else if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                    sequence = Long.parseLong(line.substring(line.indexOf(':') + 1));
                } else if (!line.isEmpty() && !line.startsWith("#")) {
                    uris.add(line);
                }
            }
            return new Playlist(target, sequence, uris);
        }
    }

    static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    static void fail(String kind) {
        errors.increment();
        if (inWindow && errorKinds.size() < 1000) {
            errorKinds.add(kind);
        }
    }

    static void record(ConcurrentLinkedQueue<Long> into, long startNanos) {
        if (inWindow) {
            into.add((System.nanoTime() - startNanos) / 1000);
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(Duration.ofNanos(left));
        }
    }

    /** Everything counted at one instant: the window is the difference of two. */
    record Snapshot(long nanos, long playlists, long unchanged, long segments, long segmentBytes, long playlistBytes,
                    long errors, long skipped, long connects, long serverTicks, long serverRssKb, long proxyTicks,
                    int proxyProcesses, long selfCpuNanos, double upstreamPlaylists, double upstreamSegments,
                    long proxyLogOffset, long[] playerBytes, Map<String, Long> serverThreadTicks) {

        static Snapshot take(long serverPid, long proxyPid, String metricsUrl, Path proxyLog, List<Player> players)
                throws IOException, InterruptedException {
            long[] perPlayer = players.stream().mapToLong(p -> p.bytes).toArray();
            double[] upstream = metricsUrl == null ? new double[] {-1, -1} : hlsRequests(metricsUrl);
            List<Long> proxy = proxyPid == 0 ? List.of()
                    : ProcessHandle.of(proxyPid).map(h -> java.util.stream.Stream.concat(java.util.stream.Stream.of(h),
                            h.descendants()).map(ProcessHandle::pid).toList()).orElse(List.of());
            long proxyTicks = proxy.stream().mapToLong(HlsClients::cpuTicks).sum();
            return new Snapshot(System.nanoTime(), HlsClients.playlists.sum(), playlistsUnchanged.sum(),
                    HlsClients.segments.sum(), HlsClients.segmentBytes.sum(), HlsClients.playlistBytes.sum(),
                    HlsClients.errors.sum(), HlsClients.skipped.sum(), HlsClients.connects.sum(),
                    serverPid == 0 ? 0 : cpuTicks(serverPid), serverPid == 0 ? 0 : rssKb(serverPid), proxyTicks,
                    proxy.size(), HlsClients.selfCpuNanos(), upstream[0], upstream[1],
                    proxyLog != null && Files.exists(proxyLog) ? Files.size(proxyLog) : -1, perPlayer,
                    serverPid == 0 ? Map.of() : threadTicks(serverPid));
        }
    }

    /** TinyIce's counters of HLS requests answered (playlists, segments), from its /metrics. */
    static double[] hlsRequests(String metricsUrl) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String text = http.send(HttpRequest.newBuilder(URI.create(metricsUrl)).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            double[] counts = {-1, -1};
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                counts[m.group(2).equals("playlist") ? 0 : 1] = Double.parseDouble(m.group(4));
            }
            return counts;
        }
    }

    /** utime + stime of a process, all its threads, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Each thread's utime + stime, keyed by "name (tid)", from /proc/PID/task. */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> ticks = new LinkedHashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(name + " (" + task.getFileName() + ")",
                            Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process ended
        }
        return ticks;
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException gone) {
            // ended
        }
        return 0;
    }

    static long selfCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }

    static void report(Map<String, String> options, int clients, double duration, long bitrate, Snapshot a,
                       Snapshot b) throws IOException {
        double seconds = (b.nanos - a.nanos) / 1e9;
        double ticks = clockTicksPerSecond();
        double serverCpu = (b.serverTicks - a.serverTicks) / ticks / seconds * 100;
        double proxyCpu = (b.proxyTicks - a.proxyTicks) / ticks / seconds * 100;
        double selfCpu = (b.selfCpuNanos - a.selfCpuNanos) / 1e9 / seconds * 100;
        long clientPlaylists = b.playlists - a.playlists;
        long clientSegments = b.segments - a.segments;
        double upPlaylists = b.upstreamPlaylists - a.upstreamPlaylists;
        double upSegments = b.upstreamSegments - a.upstreamSegments;
        double upstream = upPlaylists + upSegments;
        long clientRequests = clientPlaylists + clientSegments;
        // each player's segment bytes over the window against the stream's bytes in that time; the
        // segments come 4 s at a time, so a 60 s window reads 15 or 16 of them (0.93 to 1.07)
        double expected = bitrate / 8.0 * seconds;
        double[] delivered = new double[a.playerBytes.length];
        for (int i = 0; i < delivered.length; i++) {
            delivered[i] = (b.playerBytes[i] - a.playerBytes[i]) / expected;
        }
        Arrays.sort(delivered);
        long[] pl = sorted(playlistMicros);
        long[] sg = sorted(segmentMicros);
        Map<String, Long> kinds = new LinkedHashMap<>();
        errorKinds.forEach(k -> kinds.merge(k, 1L, Long::sum));

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("clients", clients);
        json.put("window_s", round(seconds));
        json.put("client_playlist_requests", clientPlaylists);
        json.put("client_playlists_unchanged", b.unchanged - a.unchanged);
        json.put("client_segment_requests", clientSegments);
        json.put("client_requests_per_s", round(clientRequests / seconds));
        json.put("client_segment_bytes", b.segmentBytes - a.segmentBytes);
        json.put("client_playlist_bytes", b.playlistBytes - a.playlistBytes);
        json.put("client_errors", b.errors - a.errors);
        json.put("client_error_kinds", kinds);
        json.put("client_segments_skipped", b.skipped - a.skipped);
        json.put("client_connects", b.connects - a.connects);
        json.put("delivered_ratio_min", delivered.length == 0 ? 0 : round(delivered[0]));
        json.put("delivered_ratio_p50", delivered.length == 0 ? 0 : round(delivered[delivered.length / 2]));
        json.put("playlist_ms_p50", millis(pl, 0.50));
        json.put("playlist_ms_p99", millis(pl, 0.99));
        json.put("segment_ms_p50", millis(sg, 0.50));
        json.put("segment_ms_p99", millis(sg, 0.99));
        json.put("segment_ms_max", sg.length == 0 ? 0 : round(sg[sg.length - 1] / 1000.0));
        json.put("server_playlist_requests", upPlaylists);
        json.put("server_segment_requests", upSegments);
        json.put("requests_per_server_request", upstream > 0 ? round(clientRequests / upstream) : 0);
        json.put("server_cpu_pct", round(serverCpu));
        Map<String, Double> threads = new LinkedHashMap<>();
        b.serverThreadTicks.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - a.serverThreadTicks.getOrDefault(e.getKey(), 0L)))
                .sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(5)
                .forEach(e -> threads.put(e.getKey(), round(e.getValue() / ticks / seconds * 100)));
        json.put("server_threads_top", threads);
        json.put("server_rss_kb_start", a.serverRssKb);
        json.put("server_rss_kb_end", b.serverRssKb);
        json.put("proxy_cpu_pct", round(proxyCpu));
        json.put("proxy_processes", b.proxyProcesses);
        json.put("client_cpu_pct", round(selfCpu));
        json.put("proxy_log_start", a.proxyLogOffset);
        json.put("proxy_log_end", b.proxyLogOffset);

        System.out.printf(Locale.ROOT, "%d HLS players, %.1f s window: %d playlist (%d unchanged) and %d segment"
                        + " requests (%.1f/s), %d errors %s, %d segments skipped, delivered ratio min %.3f p50 %.3f%n",
                clients, seconds, clientPlaylists, b.unchanged - a.unchanged, clientSegments, clientRequests / seconds,
                b.errors - a.errors, kinds, b.skipped - a.skipped, json.get("delivered_ratio_min"),
                json.get("delivered_ratio_p50"));
        System.out.printf(Locale.ROOT, "answer time ms: playlist p50 %s p99 %s, segment p50 %s p99 %s max %s%n",
                json.get("playlist_ms_p50"), json.get("playlist_ms_p99"), json.get("segment_ms_p50"),
                json.get("segment_ms_p99"), json.get("segment_ms_max"));
        System.out.printf(Locale.ROOT, "server: %.0f playlist + %.0f segment requests (%s client requests each),"
                        + " CPU %.1f, RSS %d MB; proxy CPU %.1f (%d processes); this client CPU %.1f (1 core = 100)%n",
                upPlaylists, upSegments, json.get("requests_per_server_request"), serverCpu, b.serverRssKb / 1024,
                proxyCpu, b.proxyProcesses, selfCpu);
        System.out.println("server's busiest threads (CPU): " + threads);
        if (options.containsKey("json")) {
            Files.writeString(Path.of(options.get("json")), toJson(json) + "\n");
        }
    }

    static long[] sorted(ConcurrentLinkedQueue<Long> values) {
        long[] out = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    static double millis(long[] sortedMicros, double quantile) {
        if (sortedMicros.length == 0) {
            return 0;
        }
        int i = Math.min(sortedMicros.length - 1, (int) Math.ceil(quantile * sortedMicros.length) - 1);
        return round(sortedMicros[Math.max(0, i)] / 1000.0);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    static String toJson(Object value) {
        return switch (value) {
            case Map<?, ?> map -> {
                StringBuilder out = new StringBuilder("{");
                map.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(toJson(k.toString()))
                        .append(": ").append(toJson(v)));
                yield out.append('}').toString();
            }
            case String s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case Double d -> d.isNaN() || d.isInfinite() ? "null" : d.toString();
            default -> value.toString();
        };
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage("bad argument " + args[i]);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        return options;
    }

    static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            usage("--" + name + " is required");
        }
        return value;
    }

    static void usage(String problem) {
        System.err.println(problem + "\nusage: java HlsClients.java --url http://HOST:PORT/MOUNT/index.m3u8"
                + " [--clients 1000] [--ramp S] [--settle 10] [--duration 60] [--bitrate 128000] [--server-pid PID]"
                + " [--proxy-pid PID] [--metrics-url URL] [--proxy-log FILE] [--json FILE]");
        System.exit(2);
    }
}
