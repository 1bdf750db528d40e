#!/usr/bin/env bash
# Side-by-side load test: TinyIce and Debian's icecast2, same load generator (../shared/bench),
# same parameters, back to back on this machine. Prints one table; ratios are TinyIce / Icecast.
#
#   scripts/bench.sh [LISTENERS=1000] [DURATION_S=30] [extra LoadGen options...]
#
# Needs: icecast2 (apt-get install icecast2), ffmpeg, python3. Uses ports ${BENCH_ICECAST_PORT:-19800}
# (Icecast) and ${BENCH_TINYICE_PORT:-19900} (TinyIce) on 127.0.0.1; leaves its files in
# ${BENCH_DIR:-/tmp/tinyice-bench}. Set those three to run beside someone else's bench.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
bench=${SHARED_BENCH:-$here/../shared/bench}
[ -x "$bench/loadgen.sh" ] || { echo "no load generator at $bench (set SHARED_BENCH)" >&2; exit 1; }
listeners=${1:-1000}; duration=${2:-30}; shift $(( $# > 2 ? 2 : $# )); extra=("$@")
out=${BENCH_DIR:-/tmp/tinyice-bench}; mkdir -p "$out"
ice_port=${BENCH_ICECAST_PORT:-19800}; tiny_port=${BENCH_TINYICE_PORT:-19900}
source_file="$out/src128.mp3"
"$bench/make-source.sh" "$source_file" 128 120
rcvlowat=(); [ "$listeners" -ge 2000 ] && rcvlowat=(--rcvlowat 16384)

[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"

run_load() { # label port pid
  "$bench/loadgen.sh" --port "$2" --mount /bench --pass hackme --source-file "$source_file" \
    --bitrate 128000 --listeners "$listeners" --duration "$duration" --server-pid "$3" \
    --json "$out/$1-$listeners.json" --label "$1-$listeners" --quiet "${rcvlowat[@]}" "${extra[@]}" \
    > "$out/$1-$listeners.txt" 2>&1 || { cat "$out/$1-$listeners.txt" >&2; return 1; }
}

# BENCH_ONLY=tinyice re-measures TinyIce alone (e.g. to try JVM flags) against the last Icecast run
if [ "${BENCH_ONLY:-}" != tinyice ]; then
  echo "== icecast2, $listeners listeners" >&2
  peer=$("$bench/icecast-peer.sh" start "$ice_port" "$out/icecast")
  trap '"$bench/icecast-peer.sh" stop "$out/icecast" >/dev/null 2>&1 || true' EXIT
  sleep 1
  run_load icecast "$ice_port" "$peer"
  "$bench/icecast-peer.sh" stop "$out/icecast"; sleep 1
fi

echo "== TinyIce, $listeners listeners" >&2
rm -rf "$out/tinyice"; mkdir -p "$out/tinyice"
# BENCH_CONFIG=file.json runs TinyIce with that configuration (e.g. another limits.chunk_ms)
[ -n "${BENCH_CONFIG:-}" ] && cp "$BENCH_CONFIG" "$out/tinyice/tinyice.json"
(cd "$out/tinyice" && ulimit -n "$(ulimit -Hn)" && TINYICE_NO_BUILD=1 TINYICE_SOURCE_PASSWORD=hackme TINYICE_ADMIN_PASSWORD=hackme \
  exec "$here/run.sh" --host 127.0.0.1 --port "$tiny_port" > server.log 2>&1) &
tiny=$!
trap 'kill $tiny 2>/dev/null || true; "$bench/icecast-peer.sh" stop "$out/icecast" >/dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do ss -Hltn "( sport = :$tiny_port )" | grep -q "$tiny_port" && break; sleep 0.2; done
run_load tinyice "$tiny_port" "$tiny"
kill "$tiny"; wait "$tiny" 2>/dev/null || true

python3 - "$out/icecast-$listeners.json" "$out/tinyice-$listeners.json" <<'PY'
import json, sys
ice, tiny = (json.load(open(p)) for p in sys.argv[1:3])
def row(name, f, fmt="{:.3f}", ratio=True):
    a, b = f(ice), f(tiny)
    r = "" if not ratio or not a else "{:.2f}".format(b / a)
    print(f"| {name} | {fmt.format(a)} | {fmt.format(b)} | {r} |")
n = tiny["config"]["listeners"]
print(f"\n{n} listeners, {tiny['config']['bitrate_bps'] / 1000:g} kbit/s, {tiny['config']['duration_s']} s window")
print("| metric | Icecast 2.4.4 | TinyIce | ratio |")
print("|---|---|---|---|")
row("connected", lambda j: j["listeners"]["connected"], "{}", False)
row("behind (< 95 %)", lambda j: j["listeners"]["behind_count"], "{}", False)
row("delivered ratio (min)", lambda j: j["window"]["delivered_ratio_vs_nominal"]["min"], ratio=False)
row("delivered ratio (p50)", lambda j: j["window"]["delivered_ratio_vs_nominal"]["p50"], ratio=False)
row("TTFB p99 (ms)", lambda j: j["ttfb_ms"]["p99"], "{:.0f}")
row("fan-out latency p99 (ms)", lambda j: (j["latency_ms"].get("p99") or 0), "{:.0f}")
row("server CPU (1 core = 100)", lambda j: j["server"]["cpu_pct_window"], "{:.1f}")
row("RSS per listener (KB)", lambda j: j["server"]["rss_per_listener_kb"], "{:.1f}")
row("RSS at N (MB)", lambda j: j["server"]["rss_kb_window_end"] / 1024, "{:.0f}")
PY
