#!/usr/bin/env bash
# HTTPS cost: one TinyIce with a plain port and a TLS port, one source; the same client
# (scripts/load/TlsListeners.java) measures N plain listeners, then N TLS listeners, then a storm of
# full new handshakes; the shared LoadGen's plain N is run once for reference. Prints one table with
# the ratios TLS / plain.
#
#   scripts/tls-bench.sh [LISTENERS=1000] [DURATION_S=30]
#
# TLS_BENCH_KEY=ec (default) or rsa picks the certificate's key (self-signed, made with openssl).
# TLS_BENCH_CONCURRENCY (default 8) is the number of clients in the handshake storm.
# Needs: openssl, ffmpeg, python3. Uses ports ${TLS_BENCH_PORT:-19970} (plain) and that + 1 (TLS) on
# 127.0.0.1; leaves its files in ${TLS_BENCH_DIR:-/tmp/tinyice-tls-bench}.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
bench=${SHARED_BENCH:-$here/../shared/bench}
[ -x "$bench/loadgen.sh" ] || { echo "no load generator at $bench (set SHARED_BENCH)" >&2; exit 1; }
listeners=${1:-1000}; duration=${2:-30}
key_type=${TLS_BENCH_KEY:-ec}; concurrency=${TLS_BENCH_CONCURRENCY:-8}
out=${TLS_BENCH_DIR:-/tmp/tinyice-tls-bench}; mkdir -p "$out"
port=${TLS_BENCH_PORT:-19970}; tls_port=$((port + 1))
client=(java -Xss256k -XX:+UseSerialGC "$here/scripts/load/TlsListeners.java")
source_file="$out/src128.mp3"
"$bench/make-source.sh" "$source_file" 128 120

[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"

for p in "$port" "$tls_port"; do # someone else's server there would take our listeners
  ! ss -Hltn "( sport = :$p )" | grep -q . || { echo "port $p is in use: set TLS_BENCH_PORT" >&2; exit 1; }
done
rm -rf "$out/tinyice"; mkdir -p "$out/tinyice"
case "$key_type" in
  ec)  key_args=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
  rsa) key_args=(-newkey rsa:2048) ;;
  *) echo "TLS_BENCH_KEY is ec or rsa" >&2; exit 1 ;;
esac
# req -newkey writes the key as PKCS#8, the form TinyIce reads (docs/tls.md)
openssl req -x509 "${key_args[@]}" -nodes -days 2 -subj "/CN=127.0.0.1" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -keyout "$out/tinyice/privkey.pem" -out "$out/tinyice/fullchain.pem" 2>/dev/null
cat > "$out/tinyice/tinyice.json" <<EOF
{"tls": {"port": $tls_port, "cert": "fullchain.pem", "key": "privkey.pem"}}
EOF

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

(cd "$out/tinyice" && ulimit -n "$(ulimit -Hn)" && TINYICE_NO_BUILD=1 TINYICE_SOURCE_PASSWORD=hackme \
  TINYICE_ADMIN_PASSWORD=hackme exec "$here/run.sh" --host 127.0.0.1 --port "$port" > server.log 2>&1) &
tiny=$!; pids+=("$tiny")
for _ in $(seq 1 150); do ss -Hltn "( sport = :$tls_port )" | grep -q "$tls_port" && break; sleep 0.2; done
ss -Hltn "( sport = :$tls_port )" | grep -q "$tls_port" || { cat "$out/tinyice/server.log" >&2; exit 1; }

# the source: ffmpeg at real time, looping the file, on the plain port as encoders are
ffmpeg -hide_banner -loglevel error -nostdin -re -stream_loop -1 -i "$source_file" -c copy \
  -content_type audio/mpeg -f mp3 "icecast://source:hackme@127.0.0.1:$port/bench" > "$out/ffmpeg.log" 2>&1 &
pids+=("$!")
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$port/status-json.xsl" | grep -q '/bench' && break; sleep 0.2; done

listen() { # label extra-options...
  local label=$1; shift
  echo "== $label: $listeners listeners" >&2
  (ulimit -n "$(ulimit -Hn)" && exec "${client[@]}" listen --host 127.0.0.1 --mount /bench --bitrate 128000 \
    --listeners "$listeners" --duration "$duration" --server-pid "$tiny" "$@") > "$out/$label.json"
  sleep 3 # let the server close the last run's connections before the next
}
listen plain --port "$port"
listen tls --port "$tls_port" --tls --ca "$out/tinyice/fullchain.pem"

echo "== handshakes: $concurrency clients, $duration s" >&2
"${client[@]}" handshake --host 127.0.0.1 --port "$tls_port" --ca "$out/tinyice/fullchain.pem" \
  --concurrency "$concurrency" --duration "$duration" --server-pid "$tiny" > "$out/handshake.json"

# a second, standard tool: one openssl process, full handshakes back to back (-new: no resumption)
echo "== openssl s_time -new, 10 s" >&2
s_time=$(openssl s_time -connect "127.0.0.1:$tls_port" -new -time 10 2>/dev/null \
  | awk '/connections in .* real seconds/ {print $1, $4; exit}')
echo "${s_time:-0 0}" > "$out/s_time.txt"

echo "== shared LoadGen, plain, for reference" >&2
"$bench/loadgen.sh" --port "$port" --mount /bench --no-source --bitrate 128000 --listeners "$listeners" \
  --duration "$duration" --server-pid "$tiny" --json "$out/loadgen-plain.json" --label "plain-$listeners" \
  --quiet > "$out/loadgen-plain.txt" 2>&1 || { cat "$out/loadgen-plain.txt" >&2; exit 1; }

python3 - "$out" "$listeners" "$key_type" <<'PY'
import json, sys
out, n, key = sys.argv[1], sys.argv[2], sys.argv[3]
plain, tls, hs = (json.load(open(f"{out}/{name}.json")) for name in ("plain", "tls", "handshake"))
lg = json.load(open(f"{out}/loadgen-plain.json"))
st = open(f"{out}/s_time.txt").read().split()
def row(name, a, b, fmt="{:.1f}", ratio=True):
    r = "{:.2f}".format(b / a) if ratio and a else ""
    print(f"| {name} | {fmt.format(a)} | {fmt.format(b)} | {r} |")
print(f"\n{n} listeners at 128 kbit/s, {plain['window_s']:.0f} s window, {key.upper()} certificate")
print("| metric | plain | TLS | TLS / plain |")
print("|---|---|---|---|")
row("connected", plain["connected"], tls["connected"], "{}", False)
row("failed", plain["failed"], tls["failed"], "{}", False)
row("behind (< 95 %)", plain["behind"], tls["behind"], "{}", False)
row("delivered ratio (min)", plain["delivered_min"], tls["delivered_min"], "{:.3f}", False)
row("server CPU (1 core = 100)", plain["server_cpu_pct"], tls["server_cpu_pct"])
row("server RSS (MB)", plain["server_rss_kb"] / 1024, tls["server_rss_kb"] / 1024, "{:.0f}")
row("client CPU (TlsListeners)", plain["client_cpu_pct"], tls["client_cpu_pct"])
print(f"| shared LoadGen, plain: server CPU / RSS (MB) | {lg['server']['cpu_pct_window']:.1f} / "
      f"{lg['server']['rss_kb_window_end'] / 1024:.0f} | | |")
print(f"\nHandshake storm: {hs['concurrency']} clients, {hs['seconds']:.0f} s, full handshakes + close")
print("| metric | value |")
print("|---|---|")
print(f"| handshakes/s (TlsListeners) | {hs['per_second']:.0f} |")
print(f"| failed / resumed | {hs['failed']} / {hs['resumed']} |")
print(f"| handshake p50 / p99 (ms) | {hs['latency_p50_ms']:.1f} / {hs['latency_p99_ms']:.1f} |")
print(f"| server CPU during the storm | {hs['server_cpu_pct']:.1f} |")
print(f"| client CPU during the storm | {hs['client_cpu_pct']:.1f} |")
if len(st) == 2 and float(st[1]) > 0:
    print(f"| handshakes/s (openssl s_time -new, one client) | {int(st[0]) / float(st[1]):.0f} |")
if hs["failures"] != "{}":
    print(f"\nhandshake failures: {hs['failures']}")
PY
