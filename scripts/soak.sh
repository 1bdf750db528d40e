#!/usr/bin/env bash
# A bounded soak: TinyIce under a churning, slightly hostile load for a while, measured before and after.
#
#   scripts/soak.sh [--minutes N]      # 30 by default
#
# The load, all on 127.0.0.1: one steady ffmpeg source and one that connects and leaves every
# 20-40 s; about 25 listeners joining and leaving all the time (each stays 1-20 s); a title every 3 s;
# three dashboards and two public pages on Server-Sent Events, reconnecting every 30-60 s; Icecast
# admin commands and API calls every second or so (stats, listclients, killclient, history, metrics);
# three slowloris clients (a header byte every 5 s); and a garbage client every 2 s.
#
# "before" is taken after a one-minute warm-up, "after" once the load has stopped and the server has
# had 15 s to settle: threads, open files, heap after a full GC (jcmd GC.run, then GC.heap_info),
# RSS, and the size of the SQLite history. Prints a table and exits non-zero when threads, open files,
# heap or RSS grew beyond the limits below (the history may grow: that is what it is for), or when the
# server's log has a WARNING/SEVERE line or a stack trace that is not a client's fault.
#
# Leaves its files in ${SOAK_DIR:-/tmp/tinyice-soak} (server.log, the data directory, load.log).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
minutes=30
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    *) echo "usage: scripts/soak.sh [--minutes N]" >&2; exit 2 ;;
  esac
done

# growth allowed between before and after
max_thread_growth=8
max_fd_growth=16
max_heap_growth_kib=$((16 * 1024))
max_rss_growth_kib=$((96 * 1024))

out=${SOAK_DIR:-/tmp/tinyice-soak}
rm -rf "$out"; mkdir -p "$out/data"
[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"

(cd "$out" && TINYICE_NO_BUILD=1 TINYICE_ADMIN_USER=admin TINYICE_ADMIN_PASSWORD=soak-admin \
  TINYICE_SOURCE_PASSWORD=soak-source exec "$here/run.sh" --host 127.0.0.1 --port 0 \
  --config "$out/tinyice.json" --data-dir "$out/data" > "$out/server.log" 2>&1) &
server=$!
trap 'kill "$server" ${pid:-} 2>/dev/null || true' EXIT
port=
for _ in $(seq 1 300); do
  port=$(grep -oE 'TinyIce listening on [^ ]+:[0-9]+' "$out/server.log" | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$out/server.log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$port" ] || { echo "the server did not start" >&2; cat "$out/server.log" >&2; exit 1; }
# the JVM is the process listening on the port (run.sh may or may not have exec'd into it)
pid=$(ss -Hltnp "sport = :$port" | grep -oE 'pid=[0-9]+' | head -1 | cut -d= -f2)
[ -n "$pid" ] || { echo "no process listens on $port" >&2; exit 1; }

measure() { # label -> one line: threads fds heap_kib rss_kib db_bytes
  "$JAVA_HOME/bin/jcmd" "$pid" GC.run >/dev/null
  sleep 1
  local heap threads fds rss db
  # "def new generation total 4928K, used 1234K" / "tenured generation total ..., used 5678K": sum the used
  # the generations' lines ("DefNew total 44288K, used 1234K", "Tenured ..."), not their spaces' (indented)
  # nor Metaspace's
  heap=$("$JAVA_HOME/bin/jcmd" "$pid" GC.heap_info | grep -vE '^[[:space:]]|Metaspace|class space' \
    | grep -oE 'used [0-9]+K' | grep -oE '[0-9]+' | paste -sd+ | bc)
  [ -n "$heap" ] || { echo "cannot read the heap of $pid" >&2; exit 1; }
  threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  db=$(cat "$out"/data/tinyice.db* 2>/dev/null | wc -c)
  echo "$threads $fds $heap $rss $db"
}

echo "TinyIce pid $pid on 127.0.0.1:$port; soak of $minutes min (files in $out)" >&2
python3 - "$port" "$minutes" "$out" > "$out/load.log" 2>&1 <<'PY' &
import base64, os, random, socket, subprocess, sys, threading, time
port, minutes, out = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
end = time.time() + minutes * 60
admin = "Basic " + base64.b64encode(b"admin:soak-admin").decode()
counts = {}
lock = threading.Lock()
def count(what):
    with lock:
        counts[what] = counts.get(what, 0) + 1

def connect(timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    return s

def request(raw, read_all=True, timeout=10):
    try:
        s = connect(timeout)
        s.sendall(raw)
        data = b""
        if read_all:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        s.close()
        return data
    except OSError:
        count("request-errors")
        return b""

def get(path, auth=True, extra=""):
    return request(("GET %s HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n%s%s\r\n"
                    % (path, "Authorization: %s\r\n" % admin if auth else "", extra)).encode())

def source(mount, seconds):
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "sine=frequency=440:duration=%d" % seconds,
           "-c:a", "libmp3lame", "-b:a", "64k", "-content_type", "audio/mpeg", "-f", "mp3",
           "icecast://source:soak-source@127.0.0.1:%d%s" % (port, mount)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def steady_source():
    while time.time() < end:
        p = source("/soak", int(end - time.time()) + 5)
        while p.poll() is None and time.time() < end:
            time.sleep(1)
        p.kill(); p.wait()
        count("steady-source-runs")

def flapping_source():
    while time.time() < end:
        p = source("/flap", random.randint(20, 40))
        count("flap-connects")
        while p.poll() is None and time.time() < end:
            time.sleep(1)
        p.kill(); p.wait()
        time.sleep(random.uniform(1, 5))

def listener():
    while time.time() < end:
        mount = random.choice(["/soak", "/soak", "/flap"])
        try:
            s = connect()
            meta = "Icy-MetaData: 1\r\n" if random.random() < 0.5 else ""
            s.sendall(("GET %s HTTP/1.0\r\nUser-Agent: soak\r\n%s\r\n" % (mount, meta)).encode())
            stay = time.time() + random.uniform(1, 20)
            while time.time() < stay:
                if not s.recv(65536):
                    break
            s.close()
            count("listener-visits")
        except OSError:
            count("listener-errors")
            time.sleep(1)

def titles():
    n = 0
    while time.time() < end:
        n += 1
        get("/admin/metadata?mode=updinfo&mount=/soak&song=Soak%%20Artist%%20-%%20Song%%20%d" % n)
        count("titles")
        time.sleep(3)

def admin_commands():
    paths = ["/admin/stats", "/admin/listclients?mount=/soak", "/status-json.xsl", "/api/status",
             "/api/history?mount=/soak", "/api/stats/history?mount=/soak", "/metrics", "/readyz",
             "/api/mounts/listeners?mount=/soak", "/admin/listmounts"]
    while time.time() < end:
        get(random.choice(paths))
        count("admin-commands")
        if random.random() < 0.05:
            answer = get("/admin/listclients?mount=/soak").decode("latin-1")
            ids = [part.split('"')[1] for part in answer.split("<listener id=")[1:2]]
            for i in ids:
                get("/admin/killclient?mount=/soak&id=%s" % i)
                count("kills")
        time.sleep(random.uniform(0.5, 1.5))

def dashboard():
    while time.time() < end:
        try:
            body = "user=admin&password=soak-admin".encode()
            answer = request(b"POST /admin/login HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n"
                             b"Content-Type: application/x-www-form-urlencoded\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            cookie = [line.split(":", 1)[1].split(";")[0].strip() for line in answer.decode("latin-1").split("\r\n")
                      if line.lower().startswith("set-cookie:")]
            if not cookie:
                count("dashboard-login-failures"); time.sleep(5); continue
            s = connect(timeout=70)
            s.sendall(("GET /admin/events HTTP/1.1\r\nHost: soak\r\nCookie: %s\r\n\r\n" % cookie[0]).encode())
            stay = time.time() + random.uniform(30, 60)
            while time.time() < min(stay, end):
                if not s.recv(65536):
                    break
            s.close()
            count("dashboard-sessions")
        except OSError:
            count("dashboard-errors"); time.sleep(2)

def public_page():
    while time.time() < end:
        try:
            s = connect(timeout=70)
            s.sendall(b"GET /events HTTP/1.1\r\nHost: soak\r\n\r\n")
            stay = time.time() + random.uniform(30, 60)
            while time.time() < min(stay, end):
                if not s.recv(65536):
                    break
            s.close()
            count("public-sse-sessions")
        except OSError:
            count("public-sse-errors"); time.sleep(2)

def slowloris():
    while time.time() < end:
        try:
            s = connect(timeout=30)
            s.sendall(b"GET /soak HTTP/1.1\r\n")
            while time.time() < end:
                time.sleep(5)
                s.sendall(b"X")
        except OSError:
            count("slowloris-cut")

def garbage():
    while time.time() < end:
        request(os.urandom(random.randint(1, 3000)), read_all=random.random() < 0.5, timeout=20)
        count("garbage")
        time.sleep(2)

threads = [steady_source, flapping_source, titles, admin_commands, garbage] + [listener] * 25 \
    + [dashboard] * 3 + [public_page] * 2 + [slowloris] * 3
started = [threading.Thread(target=t, daemon=True) for t in threads]
for t in started:
    t.start()
while time.time() < end:
    time.sleep(10)
    print(time.strftime("%H:%M:%S"), dict(sorted(counts.items())), flush=True)
time.sleep(5)
print("done", dict(sorted(counts.items())), flush=True)
PY
load=$!
warmup=$(( minutes * 60 > 120 ? 60 : minutes * 60 / 4 ))
sleep "$warmup"
before=$(measure)
wait "$load" || true
sleep 15
after=$(measure)
kill "$pid" 2>/dev/null || true; wait "$server" 2>/dev/null || true
trap - EXIT

read -r t0 f0 h0 r0 d0 <<<"$before"
read -r t1 f1 h1 r1 d1 <<<"$after"
# what a client did wrong is logged as the client's; anything else at WARNING or above is the server's
problems=$(grep -E 'WARNING|SEVERE|Exception|\bat [a-z]+\.' "$out/server.log" \
  | grep -vE 'WARNING: (A restricted method|java.lang.System::load|Use --enable-native-access|Restricted methods)' \
  || true)

failed=0
row() { # name before after limit unit
  local verdict=ok
  if [ -n "$4" ] && [ $(( $3 - $2 )) -gt "$4" ]; then verdict="GREW (limit +$4 $5)"; failed=1; fi
  printf '| %-24s | %12s | %12s | %+12d | %s |\n' "$1" "$2" "$3" $(( $3 - $2 )) "$verdict"
}
echo
echo "soak: $minutes min on 127.0.0.1:$port; $(tail -1 "$out/load.log")"
echo "| measure                  |       before |        after |       change | verdict |"
echo "|--------------------------|-------------:|-------------:|-------------:|---------|"
row "threads" "$t0" "$t1" "$max_thread_growth" ""
row "open files" "$f0" "$f1" "$max_fd_growth" ""
row "heap after GC (KiB)" "$h0" "$h1" "$max_heap_growth_kib" KiB
row "RSS (KiB)" "$r0" "$r1" "$max_rss_growth_kib" KiB
row "SQLite history (bytes)" "$d0" "$d1" "" ""
if [ -n "$problems" ]; then
  echo
  echo "the server's log has lines that are not a client's fault:"
  echo "$problems" | head -20
  failed=1
fi
exit $failed
