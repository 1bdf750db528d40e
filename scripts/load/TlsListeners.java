// Load client for HTTPS measurements, run without a build: java scripts/load/TlsListeners.java MODE ...
// (../shared/bench's LoadGen speaks no TLS). Two modes:
//
//   listen    --host H --port P --mount /bench [--tls] [--ca cert.pem | --trust-all-benchmark-only]
//             --listeners N --bitrate 128000 [--ramp S] [--settle S] --duration S [--server-pid PID]
//     N listeners (plain or TLS, same code either way so the comparison is fair), each a GET of the
//     mount on its own virtual thread that reads and counts bytes; ramped over --ramp seconds; then a
//     measurement window of --duration seconds: bytes per listener against bitrate/8 * duration, and
//     the server's and this client's CPU (ticks from /proc/<pid>/stat, one core = 100) and RSS.
//
//   handshake --host H --port P [--ca cert.pem | --trust-all-benchmark-only] --concurrency K
//             --duration S [--request /status-json.xsl] [--server-pid PID]
//     K virtual threads, each in a loop: connect, full new handshake, optionally one GET read to the
//     end, close. Every session is invalidated after use so the next connection cannot resume it:
//     each handshake is a full one (counted: "resumed" must stay 0).
//
// --trust-all-benchmark-only accepts any certificate: a shortcut for benchmarks on loopback, never
// for anything else. With --ca the server's certificate must chain to that PEM and name the host.
// Prints one line of JSON on stdout (for scripts/tls-bench.sh) and a readable summary on stderr.

import javax.net.ssl.*;
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.security.KeyStore;
import java.security.cert.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

public class TlsListeners {
    static final Map<String, String> opts = new HashMap<>();
    static final Set<String> flags = new HashSet<>();

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage();
        String mode = args[0];
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--tls") || a.equals("--trust-all-benchmark-only")) flags.add(a);
            else if (a.startsWith("--") && i + 1 < args.length) opts.put(a, args[++i]);
            else usage();
        }
        switch (mode) {
            case "listen" -> listen();
            case "handshake" -> handshake();
            default -> usage();
        }
    }

    static void usage() {
        System.err.println("usage: TlsListeners listen|handshake --host H --port P ... (see the comment at the top)");
        System.exit(2);
    }

    static String opt(String k, String d) { return opts.getOrDefault(k, d); }
    static int intOpt(String k, int d) { return Integer.parseInt(opt(k, String.valueOf(d))); }

    static SSLSocketFactory tlsFactory() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (flags.contains("--trust-all-benchmark-only")) {
            TrustManager trustAll = new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String t) {}
                public void checkServerTrusted(X509Certificate[] c, String t) {}
                public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
            };
            ctx.init(null, new TrustManager[] {trustAll}, null);
        } else {
            String ca = opts.get("--ca");
            if (ca == null) throw new IllegalArgumentException("TLS needs --ca PEM or --trust-all-benchmark-only");
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(ca))) {
                int n = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in))
                    ks.setCertificateEntry("ca" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            ctx.init(null, tmf.getTrustManagers(), null);
        }
        return ctx.getSocketFactory();
    }

    static Socket open(SSLSocketFactory tls, String host, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), 10_000);
        plain.setSoTimeout(15_000);
        if (tls == null) return plain;
        SSLSocket s = (SSLSocket) tls.createSocket(plain, host, port, true);
        if (!flags.contains("--trust-all-benchmark-only")) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
        }
        s.startHandshake();
        return s;
    }

    // utime + stime of a process, in clock ticks (USER_HZ, 100 on Linux)
    static long ticks(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) { return -1; }
    }

    static long rssKb(String pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        } catch (IOException e) { /* process gone */ }
        return -1;
    }

    static final long HZ = Long.parseLong(System.getProperty("clk.tck", "100"));

    static double cpuPct(long t0, long t1, long nanos) {
        return t0 < 0 || t1 < 0 ? -1 : (t1 - t0) * 100.0 / HZ / (nanos / 1e9);
    }

    static void listen() throws Exception {
        String host = opt("--host", "127.0.0.1"), mount = opt("--mount", "/bench");
        int port = intOpt("--port", 8000), n = intOpt("--listeners", 100), duration = intOpt("--duration", 30);
        int ramp = intOpt("--ramp", Math.max(2, n / 250)), settle = intOpt("--settle", 3);
        long bitrate = Long.parseLong(opt("--bitrate", "128000"));
        String serverPid = opt("--server-pid", null);
        SSLSocketFactory tls = flags.contains("--tls") ? tlsFactory() : null;
        AtomicLongArray bytes = new AtomicLongArray(n);
        AtomicInteger connected = new AtomicInteger(), failed = new AtomicInteger(), ended = new AtomicInteger();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
        byte[] request = ("GET " + mount + " HTTP/1.0\r\nHost: " + host + "\r\nUser-Agent: TlsListeners\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        long rampGapNanos = ramp * 1_000_000_000L / Math.max(1, n);
        long start = System.nanoTime();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                final int id = i;
                long due = start + id * rampGapNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                pool.submit(() -> {
                    try (Socket s = open(tls, host, port)) {
                        sockets.add(s);
                        s.getOutputStream().write(request);
                        s.getOutputStream().flush();
                        InputStream in = s.getInputStream();
                        byte[] buf = new byte[16384];
                        boolean first = true;
                        int r;
                        while ((r = in.read(buf)) > 0) {
                            if (first) { connected.incrementAndGet(); first = false; }
                            bytes.addAndGet(id, r);
                        }
                        ended.incrementAndGet();
                    } catch (Exception e) {
                        if (!closing) {
                            failed.incrementAndGet();
                            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                });
            }
            Thread.sleep(settle * 1000L);
            long[] b0 = snapshot(bytes);
            String self = String.valueOf(ProcessHandle.current().pid());
            long s0 = serverPid == null ? -1 : ticks(serverPid), c0 = ticks(self), w0 = System.nanoTime();
            Thread.sleep(duration * 1000L);
            long s1 = serverPid == null ? -1 : ticks(serverPid), c1 = ticks(self), w1 = System.nanoTime();
            long[] b1 = snapshot(bytes);
            long serverRss = serverPid == null ? -1 : rssKb(serverPid), clientRss = rssKb(self);
            double window = (w1 - w0) / 1e9, expected = bitrate / 8.0 * window;
            double[] ratios = new double[n];
            int behind = 0;
            for (int i = 0; i < n; i++) {
                ratios[i] = (b1[i] - b0[i]) / expected;
                if (ratios[i] < 0.95) behind++;
            }
            Arrays.sort(ratios);
            closing = true;
            synchronized (sockets) { for (Socket s : sockets) try { s.close(); } catch (IOException e) { /* closing */ } }
            pool.shutdownNow();
            String json = String.format(Locale.ROOT,
                    "{\"mode\":\"listen\",\"tls\":%b,\"listeners\":%d,\"connected\":%d,\"failed\":%d,\"ended_early\":%d,"
                            + "\"failures\":\"%s\",\"behind\":%d,\"delivered_min\":%.3f,\"delivered_p50\":%.3f,"
                            + "\"window_s\":%.1f,\"server_cpu_pct\":%.1f,\"server_rss_kb\":%d,\"client_cpu_pct\":%.1f,\"client_rss_kb\":%d}",
                    tls != null, n, connected.get(), failed.get(), ended.get(), failures, behind, ratios[0], ratios[n / 2],
                    window, cpuPct(s0, s1, w1 - w0), serverRss, cpuPct(c0, c1, w1 - w0), clientRss);
            System.out.println(json);
            System.err.printf(Locale.ROOT, "%s: %d/%d connected, %d failed %s, %d behind, delivered min %.3f p50 %.3f,"
                            + " server CPU %.1f RSS %d MB, client CPU %.1f%n", tls != null ? "TLS" : "plain",
                    connected.get(), n, failed.get(), failures, behind, ratios[0], ratios[n / 2],
                    cpuPct(s0, s1, w1 - w0), serverRss / 1024, cpuPct(c0, c1, w1 - w0));
            System.exit(0);
        }
    }

    static volatile boolean closing;

    static long[] snapshot(AtomicLongArray a) {
        long[] s = new long[a.length()];
        for (int i = 0; i < s.length; i++) s[i] = a.get(i);
        return s;
    }

    static void handshake() throws Exception {
        String host = opt("--host", "127.0.0.1"), path = opt("--request", null);
        int port = intOpt("--port", 8443), k = intOpt("--concurrency", 8), duration = intOpt("--duration", 10);
        String serverPid = opt("--server-pid", null);
        SSLSocketFactory tls = tlsFactory();
        AtomicLong done = new AtomicLong(), resumed = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<Long> micros = new ConcurrentLinkedQueue<>();
        byte[] request = path == null ? null
                : ("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        String self = String.valueOf(ProcessHandle.current().pid());
        long s0 = serverPid == null ? -1 : ticks(serverPid), c0 = ticks(self), w0 = System.nanoTime();
        long deadline = w0 + duration * 1_000_000_000L;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < k; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long t0 = System.nanoTime(), wall0 = System.currentTimeMillis();
                        try (Socket s = open(tls, host, port)) {
                            SSLSession session = ((SSLSocket) s).getSession();
                            // a resumed session was created before this connection began
                            if (session.getCreationTime() < wall0) resumed.incrementAndGet();
                            if (request != null) {
                                s.getOutputStream().write(request);
                                s.getOutputStream().flush();
                                InputStream in = s.getInputStream();
                                byte[] buf = new byte[16384];
                                while (in.read(buf) > 0) { /* read to the end */ }
                            }
                            session.invalidate();
                            done.incrementAndGet();
                            micros.add((System.nanoTime() - t0) / 1000);
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            failures.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                    x -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                });
            }
        }
        long s1 = serverPid == null ? -1 : ticks(serverPid), c1 = ticks(self), w1 = System.nanoTime();
        long[] lat = micros.stream().mapToLong(Long::longValue).sorted().toArray();
        double secs = (w1 - w0) / 1e9;
        double p50 = lat.length == 0 ? 0 : lat[lat.length / 2] / 1000.0;
        double p99 = lat.length == 0 ? 0 : lat[(int) (lat.length * 0.99)] / 1000.0;
        String shown = failures.toString().replace("\"", "'");
        System.out.println(String.format(Locale.ROOT,
                "{\"mode\":\"handshake\",\"concurrency\":%d,\"seconds\":%.1f,\"handshakes\":%d,\"per_second\":%.1f,"
                        + "\"resumed\":%d,\"failed\":%d,\"failures\":\"%s\",\"latency_p50_ms\":%.1f,\"latency_p99_ms\":%.1f,"
                        + "\"server_cpu_pct\":%.1f,\"client_cpu_pct\":%.1f}",
                k, secs, done.get(), done.get() / secs, resumed.get(), failed.get(), shown, p50, p99,
                cpuPct(s0, s1, w1 - w0), cpuPct(c0, c1, w1 - w0)));
        System.err.printf(Locale.ROOT, "handshakes: %d in %.1f s = %.1f/s, %d resumed, %d failed %s, p50 %.1f ms p99 %.1f ms,"
                        + " server CPU %.1f, client CPU %.1f%n", done.get(), secs, done.get() / secs, resumed.get(),
                failed.get(), shown, p50, p99, cpuPct(s0, s1, w1 - w0), cpuPct(c0, c1, w1 - w0));
    }
}
