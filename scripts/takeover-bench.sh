#!/usr/bin/env bash
# The take-over benchmark (issue 15): LISTENERS listeners stream while a second TinyIce takes the port
# over (./run.sh --take-over), and a connect storm of STORM more listeners lands during the update.
#
#   scripts/takeover-bench.sh [LISTENERS=5000] [DURATION_S=60] [STORM=3000]
#
# Load generator 1 (../shared/bench) is the source (a 128 kbit/s MP3 by PUT) and the LISTENERS listeners,
# 200 of which measure the fan-out latency with markers; generator 2 is the storm: STORM listeners
# connecting 1,000 at a time, ramped over the update. Halfway through generator 1's window the new
# process takes over. Prints: connects refused or failed (by kind) in both generators, listeners dropped
# in the window, the longest delay any marker saw (the longest gap a listener heard), markers lost, the
# update's duration, and which process serves the port afterwards. Server CPU is not sampled: the
# server's pid changes halfway. Uses port 19985 on 127.0.0.1; files in ${BENCH_DIR:-/tmp/tinyice-takeover-bench}.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
bench=${SHARED_BENCH:-$here/../shared/bench}
[ -x "$bench/loadgen.sh" ] || { echo "no load generator at $bench (set SHARED_BENCH)" >&2; exit 1; }
listeners=${1:-5000}; duration=${2:-60}; storm=${3:-3000}
port=${TAKEOVER_BENCH_PORT:-19985}
out=${BENCH_DIR:-/tmp/tinyice-takeover-bench}
rm -rf "$out/data"; mkdir -p "$out/data"
source_file="$out/src128.mp3"
"$bench/make-source.sh" "$source_file" 128 120
[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"
export TINYICE_NO_BUILD=1 TINYICE_SOURCE_PASSWORD=hackme TINYICE_ADMIN_PASSWORD=hackme

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT
start_tinyice() { # log [flags...]
  local log=$1; shift
  (cd "$out/data" && ulimit -n "$(ulimit -Hn)" && exec "$here/run.sh" --host 127.0.0.1 --port "$port" \
    --data-dir "$out/data" "$@" > "$log" 2>&1) &
  pids+=($!)
}
start_tinyice "$out/old.log"
old=${pids[-1]}
for _ in $(seq 1 150); do grep -q "TinyIce listening" "$out/old.log" && break; sleep 0.2; done
grep -q "TinyIce listening" "$out/old.log" || { echo "TinyIce did not start: $out/old.log" >&2; exit 1; }

ramp=$(( listeners / 250 > 2 ? listeners / 250 : 2 ))
rcvlowat=(); [ "$listeners" -ge 2000 ] && rcvlowat=(--rcvlowat 16384)
"$bench/loadgen.sh" --port "$port" --mount /bench --pass hackme --source-file "$source_file" --bitrate 128000 \
  --listeners "$listeners" --ramp "$ramp" --duration "$duration" --marker-listeners 200 "${rcvlowat[@]}" \
  --json "$out/listeners.json" --label listeners --quiet > "$out/listeners.txt" 2>&1 &
pids+=($!); listeners_gen=$!
# generator 1: 5 s of source alone, the ramp, 3 s settling, then the window: take over in its middle,
# (the storm's own window, 5 s, must end before generator 1's, whose source leaving ends the mount)
takeover_at=$(( 5 + ramp + 3 + duration / 2 ))
sleep "$takeover_at"
echo "== take-over at $(date -u +%T)" >&2
started=$(date +%s%N)
start_tinyice "$out/new.log" --take-over
new=${pids[-1]}
# the storm starts once the new JVM is up (Helidon's "Started all channels"), right before it asks the old
# process for its socket: its 4 s ramp covers the hand-over, when connects wait in the socket's queue
for _ in $(seq 1 300); do grep -q "Started all channels" "$out/new.log" && break; sleep 0.05; done
"$bench/loadgen.sh" --no-source --port "$port" --mount /bench --bitrate 128000 --listeners "$storm" \
  --preroll 0 --ramp 4 --settle 1 --max-inflight 1000 --duration 5 --marker-listeners 0 \
  --json "$out/storm.json" --label storm --quiet > "$out/storm.txt" 2>&1 &
pids+=($!); storm_gen=$!
for _ in $(seq 1 300); do grep -q "take-over: accepting on port" "$out/new.log" && break; sleep 0.1; done
accepting=$(date +%s%N)
for _ in $(seq 1 600); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
old_gone=$(date +%s%N)
wait "$storm_gen" || true
wait "$listeners_gen" || true

python3 - "$out" "$started" "$accepting" "$old_gone" "$(kill -0 "$old" 2>/dev/null && echo yes || echo no)" <<'PY'
import json, os, re, sys
out, started, accepting, gone, old_alive = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
l = json.load(open(os.path.join(out, "listeners.json")))
s = json.load(open(os.path.join(out, "storm.json")))
took = next((line.strip() for line in open(os.path.join(out, "new.log")) if "take-over: accepting on port" in line), "(no line)")
def kinds(j):
    return ", ".join(f"{k} {v}" for k, v in j["listeners"]["failures"].items()) or "none"
print(f"| | listeners ({l['listeners']['requested']}) | storm ({s['listeners']['requested']}, 1,000 connecting at once) |")
print("|---|---|---|")
print(f"| connected | {l['listeners']['connected']} | {s['listeners']['connected']} |")
print(f"| refused or failed connects | {l['listeners']['failed']} ({kinds(l)}) | {s['listeners']['failed']} ({kinds(s)}) |")
print(f"| dropped in the window | {l['listeners']['disconnected_in_window']} | {s['listeners']['disconnected_in_window']} |")
print(f"| streaming at window end | {l['listeners']['streaming_at_window_end']} | {s['listeners']['streaming_at_window_end']} |")
d = l["window"]["delivered_ratio_vs_nominal"]
print(f"| delivered min / p50 | {d['min']:.3f} / {d['p50']:.3f} | |")
lt = l["latency_ms"]
print(f"| fan-out latency p50 / p99 / max (markers) | {lt['p50']:.0f} / {lt['p99']:.0f} / {lt['max']:.0f} ms | |")
print(f"| markers lost (sequence gaps) | {lt['marker_gaps_total']} | |")
print(f"\nupdate: the new process accepted {(accepting - started) / 1e6:.0f} ms after it was started (JVM start included);"
      f" the old one exited {(gone - started) / 1e6:.0f} ms after that start; old process still alive: {old_alive}")
print("new process: " + took)
PY
