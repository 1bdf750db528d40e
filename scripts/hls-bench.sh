#!/usr/bin/env bash
# HLS through a cache against direct listeners: TinyIce with one 128 kbit/s MP3 source, Debian's
# nginx with docs/hls.md's proxy_cache recipe in front, then in one run
#   (a) N HLS players (scripts/load/HlsClients.java) through nginx for the window,
#   (b) N direct Icecast listeners (the shared LoadGen, --no-source, same mount) for as long,
#   (c) an idle window (the source only: what the mount and its HLS segmenter cost).
# Prints one table: TinyIce's CPU and RSS in each, nginx's CPU, and the requests the players made
# against the requests that reached TinyIce (its /metrics counters, cross-checked with nginx's log).
#
#   scripts/hls-bench.sh [CLIENTS=1000] [DURATION_S=60]
#
# Needs: nginx (apt-get install nginx; run as the current user, all its paths under the bench
# directory), ffmpeg, python3, curl. Uses ports ${BENCH_TINYICE_PORT:-19950} (TinyIce) and
# ${BENCH_NGINX_PORT:-19960} (nginx) on 127.0.0.1; leaves its files in
# ${BENCH_DIR:-/tmp/tinyice-hls-bench}. IDLE_S (default DURATION_S, 0 to skip) is the idle window;
# WARMUP_S (default 30) the wait between TinyIce's start and the first window.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
bench=${SHARED_BENCH:-$here/../shared/bench}
[ -x "$bench/loadgen.sh" ] || { echo "no load generator at $bench (set SHARED_BENCH)" >&2; exit 1; }
nginx_bin=${NGINX:-/usr/sbin/nginx}
[ -x "$nginx_bin" ] || { echo "no nginx at $nginx_bin (apt-get install nginx, or set NGINX)" >&2; exit 1; }
clients=${1:-1000}; duration=${2:-60}; idle=${IDLE_S:-$duration}
out=${BENCH_DIR:-/tmp/tinyice-hls-bench}
tiny_port=${BENCH_TINYICE_PORT:-19950}; nginx_port=${BENCH_NGINX_PORT:-19960}
# TinyIce binds with SO_REUSEPORT (docs/relays.md), so a second server started on a port in use does not
# fail: the kernel spreads connections over both, and each bench then loads and measures the other's
# server. Refuse to start beside one.
for port in "$tiny_port" "$nginx_port"; do
  ! ss -Hltn "( sport = :$port )" | grep -q . \
    || { echo "port $port is in use: set BENCH_TINYICE_PORT / BENCH_NGINX_PORT" >&2; exit 1; }
done
mkdir -p "$out"
source_file="$out/src128.mp3"
"$bench/make-source.sh" "$source_file" 128 120
[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"
ulimit -n "$(ulimit -Hn)"

# Every process this script starts, by pid; stopped on any exit. nginx's workers are found under
# its master before the master is stopped, and stopped after it if they linger.
pids=()
cleanup() {
  local workers=()
  if [ -n "${nginx_pid:-}" ]; then
    mapfile -t workers < <(cat "/proc/$nginx_pid/task/"*/children 2>/dev/null | tr ' ' '\n' | grep . || true)
  fi
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  for pid in "${workers[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$out/tinyice" "$out/nginx"; mkdir -p "$out/tinyice" "$out/nginx"
echo "== TinyIce on :$tiny_port, source /bench (ffmpeg, 128 kbit/s MP3)" >&2
(cd "$out/tinyice" && TINYICE_NO_BUILD=1 TINYICE_SOURCE_PASSWORD=hackme TINYICE_ADMIN_PASSWORD=hackme \
  exec "$here/run.sh" --host 127.0.0.1 --port "$tiny_port" > server.log 2>&1) &
tiny=$!; pids+=("$tiny")
for _ in $(seq 1 150); do ss -Hltn "( sport = :$tiny_port )" | grep -q "$tiny_port" && break; sleep 0.2; done
ss -Hltn "( sport = :$tiny_port )" | grep -q "$tiny_port" || { cat "$out/tinyice/server.log" >&2; exit 1; }

# The file copied as it is (no encoding), looped, at its own pace: the source costs TinyIce the
# same in every window.
ffmpeg -nostdin -loglevel error -re -stream_loop -1 -i "$source_file" -c:a copy -content_type audio/mpeg \
  -f mp3 "icecast://source:hackme@127.0.0.1:$tiny_port/bench" > "$out/ffmpeg.log" 2>&1 &
pids+=($!)

# docs/hls.md's recipe, with this run's ports and every path under $out/nginx. worker_processes is
# nginx's default (1); $upstream_status in the log marks the requests that went to TinyIce.
cat > "$out/nginx/nginx.conf" <<EOF
user $(id -un);
daemon off;
worker_processes 1;
pid $out/nginx/nginx.pid;
error_log $out/nginx/error.log warn;
events { worker_connections 4096; }
http {
    log_format hls '\$msec \$status \$upstream_cache_status \$upstream_status \$request_uri \$body_bytes_sent';
    access_log $out/nginx/access.log hls;
    client_body_temp_path $out/nginx/body;
    proxy_temp_path $out/nginx/proxy;
    fastcgi_temp_path $out/nginx/fastcgi;
    uwsgi_temp_path $out/nginx/uwsgi;
    scgi_temp_path $out/nginx/scgi;
    proxy_cache_path $out/nginx/cache levels=1:2 keys_zone=hls:10m max_size=1g inactive=10m
                     use_temp_path=off;
    upstream tinyice {
        server 127.0.0.1:$tiny_port;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$nginx_port;
        location ~ \.(m3u8|mp3|aac)\$ {
            proxy_pass http://tinyice;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_cache hls;
            proxy_cache_lock on;
            proxy_cache_lock_timeout 5s;
            proxy_cache_use_stale updating;
            proxy_cache_revalidate on;
            add_header X-Cache-Status \$upstream_cache_status;
        }
    }
}
EOF
echo "== nginx on :$nginx_port" >&2
"$nginx_bin" -e "$out/nginx/error.log" -p "$out/nginx" -c "$out/nginx/nginx.conf" > "$out/nginx/stdout.log" 2>&1 &
nginx_pid=$!; pids+=("$nginx_pid")
for _ in $(seq 1 50); do ss -Hltn "( sport = :$nginx_port )" | grep -q "$nginx_port" && break; sleep 0.2; done
ss -Hltn "( sport = :$nginx_port )" | grep -q "$nginx_port" || { cat "$out/nginx/error.log" >&2; exit 1; }

# Players start three segments back, so wait (bounded) until the playlist lists three.
echo "== waiting for three segments in /bench/index.m3u8" >&2
for _ in $(seq 1 60); do
  n=$(curl -s "http://127.0.0.1:$tiny_port/bench/index.m3u8" | grep -c '\.mp3$' || true)
  [ "${n:-0}" -ge 3 ] && break; sleep 1
done
[ "${n:-0}" -ge 3 ] || { echo "no HLS segments after 60 s" >&2; cat "$out/ffmpeg.log" "$out/tinyice/server.log" >&2; exit 1; }

# TinyIce's first half minute is class loading and the JIT; let it pass before any window, so the
# windows compare the same warm server.
sleep "${WARMUP_S:-30}" & wait $!   # in the background, so that a signal ends the wait at once

hls_clients() { # label clients duration [HlsClients options...]
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx256m "$here/scripts/load/HlsClients.java" \
    --url "http://127.0.0.1:$nginx_port/bench/index.m3u8" --clients "$2" --duration "$3" \
    --server-pid "$tiny" --proxy-pid "$nginx_pid" --metrics-url "http://127.0.0.1:$tiny_port/metrics" \
    --proxy-log "$out/nginx/access.log" --json "$out/$1.json" "${@:4}" > "$out/$1.txt" 2>&1 &
  local pid=$!; pids+=("$pid")
  wait "$pid" || { cat "$out/$1.txt" >&2; return 1; }
  cat "$out/$1.txt" >&2
}

echo "== (a) $clients HLS players through nginx, $duration s window" >&2
hls_clients hls-"$clients" "$clients" "$duration"
sleep 2
echo "== (b) $clients direct Icecast listeners (LoadGen), $duration s window" >&2
"$bench/loadgen.sh" --no-source --port "$tiny_port" --mount /bench --bitrate 128000 --listeners "$clients" \
  --duration "$duration" --server-pid "$tiny" --marker-listeners 0 --json "$out/direct-$clients.json" \
  --label "direct-$clients" --quiet > "$out/direct-$clients.txt" 2>&1 &
pids+=($!)
wait $! || { cat "$out/direct-$clients.txt" >&2; exit 1; }
# Last, so that TinyIce's start (class loading, the JIT) is over, as it is in the other two windows.
if [ "$idle" -gt 0 ]; then
  echo "== (c) idle: the source only, $idle s window" >&2
  sleep 5
  hls_clients idle 0 "$idle" --settle 0
fi

python3 - "$out" "$clients" "$idle" <<'PY'
import json, sys
out, n, idle_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
hls = json.load(open(f"{out}/hls-{n}.json"))
direct = json.load(open(f"{out}/direct-{n}.json"))
idle = json.load(open(f"{out}/idle.json")) if idle_s > 0 else None

# nginx's log over the HLS window: every client request, and those that went to TinyIce
statuses, upstream = {}, 0
with open(f"{out}/nginx/access.log", "rb") as log:
    log.seek(hls["proxy_log_start"])
    for line in log.read(hls["proxy_log_end"] - hls["proxy_log_start"]).decode().splitlines():
        f = line.split()
        if len(f) < 6:
            continue
        statuses[f[2]] = statuses.get(f[2], 0) + 1
        if f[3] != "-":
            upstream += len(f[3].split(","))
logged = sum(statuses.values())
tiny_hls = hls["server_playlist_requests"] + hls["server_segment_requests"]
client_requests = hls["client_playlist_requests"] + hls["client_segment_requests"]
w = direct["window"]["delivered_ratio_vs_nominal"]
L = direct["listeners"]

def row(name, a, b, c=""):
    print(f"| {name} | {a} | {b} | {c if idle else '-'} |")
print(f"\n{n} clients, 128 kbit/s MP3 (4 s segments), {hls['window_s']:.0f} s windows; CPU: 1 core = 100")
print("| | (a) HLS through nginx | (b) direct Icecast listeners | (c) idle (source only) |")
print("|---|---|---|---|")
row("clients", f"{n} players", f"{L['connected']} connected, {L['failed']} failed", "0")
row("client requests (playlist + segment)", f"{hls['client_playlist_requests']:,} + {hls['client_segment_requests']:,}"
    f" ({hls['client_requests_per_s']:.0f}/s)", f"{L['connected']:,} (one each)")
row("requests reaching TinyIce (its /metrics)",
    f"{hls['server_playlist_requests']:.0f} + {hls['server_segment_requests']:.0f}", "")
row("client requests per TinyIce request", f"{hls['requests_per_server_request']:.0f}", "")
row("errors / segments skipped / listeners behind", f"{hls['client_errors']} / {hls['client_segments_skipped']} / -",
    f"- / - / {L['behind_count']}")
row("delivered ratio (min, p50)", f"{hls['delivered_ratio_min']:.3f}, {hls['delivered_ratio_p50']:.3f}",
    f"{w['min']:.3f}, {w['p50']:.3f}")
row("answer time p50 / p99 / max (ms)", f"segments {hls['segment_ms_p50']:.1f} / {hls['segment_ms_p99']:.1f} /"
    f" {hls['segment_ms_max']:.0f}", f"TTFB {direct['ttfb_ms']['p50']:.1f} / {direct['ttfb_ms']['p99']:.1f} /"
    f" {direct['ttfb_ms']['max']:.0f}")
row("**TinyIce CPU**", f"**{hls['server_cpu_pct']:.1f}**", f"**{direct['server']['cpu_pct_window']:.1f}**",
    idle and f"**{idle['server_cpu_pct']:.1f}**")
row("TinyIce RSS at window end (MB)", f"{hls['server_rss_kb_end'] / 1024:.0f}",
    f"{direct['server']['rss_kb_window_end'] / 1024:.0f}", idle and f"{idle['server_rss_kb_end'] / 1024:.0f}")
row("nginx CPU (all its processes)", f"{hls['proxy_cpu_pct']:.1f}", "-",
    idle and f"{idle['proxy_cpu_pct']:.1f}")
row("load client CPU", f"{hls['client_cpu_pct']:.1f}", f"{direct['loadgen']['cpu_pct_window']:.1f}",
    idle and f"{idle['client_cpu_pct']:.1f}")
d = direct["server"]["cpu_pct_window"]
print(f"\nTinyIce's CPU, HLS through nginx / direct listeners: {hls['server_cpu_pct'] / d if d else float('nan'):.2f}")
print(f"client requests : TinyIce HLS requests = {client_requests:,} : {tiny_hls:.0f}"
      f" = {hls['requests_per_server_request']:.0f} : 1")
print(f"nginx's log over the HLS window: {logged:,} requests"
      f" ({', '.join(f'{k} {v:,}' for k, v in sorted(statuses.items()))}), {upstream} of them went to TinyIce")
PY
