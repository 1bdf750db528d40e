#!/usr/bin/env bash
# The cluster benchmark: scripts/cluster.sh's origin and edges on this machine, one load generator
# (../shared/bench) per 19,000 listeners, since one process here cannot hold more open files.
#
#   scripts/cluster-bench.sh [LISTENERS=38000] [DURATION_S=60] [EDGES=2]     (WARMUP=N: the warm-up crowd, default 4000)
#
# A source streams a 128 kbit/s MP3 to the origin's /bench; the edges relay it (master mode); the
# listener generators connect to the edges' shared public port, and the kernel (SO_REUSEPORT)
# spreads them over the edges. Each generator samples one edge's CPU and RSS; the source's
# generator samples the origin's. Prints one table per process and the totals. Uses ports 19700
# (public) and 19710 (origin) on 127.0.0.1; leaves its files in ${BENCH_DIR:-/tmp/tinyice-cluster-bench}.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
bench=${SHARED_BENCH:-$here/../shared/bench}
[ -x "$bench/loadgen.sh" ] || { echo "no load generator at $bench (set SHARED_BENCH)" >&2; exit 1; }
listeners=${1:-38000}; duration=${2:-60}; edges=${3:-2}
per_generator=${PER_GENERATOR:-19000}   # at most ~19,500 fit under one process's file limit
generators=$(( (listeners + per_generator - 1) / per_generator ))
out=${BENCH_DIR:-/tmp/tinyice-cluster-bench}
rm -rf "$out/cluster"; mkdir -p "$out"
source_file="$out/src128.mp3"
"$bench/make-source.sh" "$source_file" 128 120
[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"

# Every listener connects from 127.0.0.1 to 127.0.0.1:19700, so all of them share one range of
# ephemeral ports (Linux's default 32768-60999 holds 28,232): more listeners need a wider range,
# which the script sets for the run and puts back (it is the load generator's limit, not TinyIce's;
# real listeners come from many addresses).
port_range=$(cat /proc/sys/net/ipv4/ip_local_port_range)
read -r low high <<< "$port_range"
restore_range=
if [ $(( high - low )) -lt $(( listeners + 2000 )) ]; then
  echo "10000 65535" > /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null \
    || { echo "$listeners listeners need more ephemeral ports than $port_range: run as root, or widen net.ipv4.ip_local_port_range" >&2; exit 1; }
  restore_range=$port_range
fi

export TINYICE_SOURCE_PASSWORD=hackme TINYICE_ADMIN_PASSWORD=hackme TINYICE_NO_BUILD=1
generator_pids=()
cleanup() {
  for pid in "${generator_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$here/scripts/cluster.sh" stop --dir "$out/cluster" >/dev/null 2>&1 || true
  [ -z "$restore_range" ] || echo "$restore_range" > /proc/sys/net/ipv4/ip_local_port_range
}
trap cleanup EXIT
"$here/scripts/cluster.sh" start --edges "$edges" --port 19700 --origin-port 19710 --host 127.0.0.1 \
  --dir "$out/cluster" > "$out/cluster-start.txt"
origin=$(cat "$out/cluster/origin.pid")

# Each listener generator ramps at 250 connects a second; the source runs through all of it.
ramp=$(( per_generator / 250 ))
warmup=${WARMUP:-4000}
source_span=$(( 20 + ramp + 10 + duration + 20 + (warmup > 0 ? 25 : 0) ))
echo "== source -> origin, $edges edges, $listeners listeners in $generators generators" >&2
"$bench/loadgen.sh" --port 19710 --mount /bench --pass hackme --source-file "$source_file" \
  --bitrate 128000 --listeners 10 --duration "$source_span" --server-pid "$origin" \
  --json "$out/origin.json" --label origin --quiet > "$out/origin.txt" 2>&1 &
generator_pids+=($!)

# Bounded wait until every edge relays the mount (the edges poll the origin's list every 5 s).
for k in $(seq 1 "$edges"); do
  for _ in $(seq 1 150); do
    grep -q "/bench: relaying" "$out/cluster/edge-$k/server.log" 2>/dev/null && break
    sleep 0.2
  done
  grep -q "/bench: relaying" "$out/cluster/edge-$k/server.log" || { echo "edge-$k does not relay /bench" >&2; exit 1; }
done

# A crowd connects and leaves together before the measurement, as listeners come and go on any server
# that has run a while. Without it the first crowd to leave is generator 1's teardown, in the middle of
# generator 2's window: each fresh edge then compiles its whole leaving path at once (JIT: ~1 s of CPU
# for 8,000 listeners, measured with perf) on a machine already at its limit. WARMUP=0 skips it.
if [ "$warmup" -gt 0 ]; then
  echo "== warm-up: $warmup listeners connect and leave together" >&2
  "$bench/loadgen.sh" --no-source --port 19700 --mount /bench --bitrate 128000 --listeners "$warmup" \
    --ramp 8 --duration 5 --marker-listeners 0 --rcvlowat 16384 --json "$out/warmup.json" --label warmup \
    --quiet > "$out/warmup.txt" 2>&1 || true
  sleep 3
fi

left=$listeners
for g in $(seq 1 "$generators"); do
  n=$(( left < per_generator ? left : per_generator )); left=$(( left - n ))
  edge_pid=$(cat "$out/cluster/edge-$(( (g - 1) % edges + 1 )).pid")
  "$bench/loadgen.sh" --no-source --port 19700 --mount /bench --bitrate 128000 --listeners "$n" \
    --ramp "$ramp" --duration "$duration" --server-pid "$edge_pid" --marker-listeners 0 --rcvlowat 16384 \
    --json "$out/listeners-$g.json" --label "listeners-$g" --quiet > "$out/listeners-$g.txt" 2>&1 &
  generator_pids+=($!)
done
# Who holds how many listeners, counted once the ramps are over.
sleep $(( 5 + ramp + 5 + duration / 2 ))
ss -Htnp state established "( sport = :19700 )" | grep -o 'pid=[0-9]*' | sort | uniq -c > "$out/spread.txt" || true
for pid in "${generator_pids[@]:1}"; do wait "$pid" || true; done
wait "${generator_pids[0]}" || true

python3 - "$out" "$generators" "$origin" <<'PY'
import json, os, sys
out, generators, origin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
spread = {}
for line in open(os.path.join(out, "spread.txt")):
    count, pid = line.split()
    spread[pid.split("=")[1]] = int(count)
print("| generator | connected | behind (< 95 %) | delivered min | delivered p50 | its edge: listeners | CPU (1 core = 100) | RSS MB | RSS/listener (KB) | generator CPU |")
print("|---|---|---|---|---|---|---|---|---|---|")
connected = behind = 0
worst = 1.0
for g in range(1, generators + 1):
    j = json.load(open(os.path.join(out, f"listeners-{g}.json")))
    d = j["window"]["delivered_ratio_vs_nominal"]
    connected += j["listeners"]["connected"]; behind += j["listeners"]["behind_count"]; worst = min(worst, d["min"])
    s = j["server"]
    held = spread.get(str(j["config"].get("server_pid")), 0)
    per = (s["rss_kb_window_end"] - s["rss_kb_baseline"]) / held if held else float("nan")
    print(f"| listeners-{g} | {j['listeners']['connected']} | {j['listeners']['behind_count']} | {d['min']:.3f} | {d['p50']:.3f} "
          f"| {held} | {s['cpu_pct_window']:.1f} | {s['rss_kb_window_end'] / 1024:.0f} | {per:.1f} | {j['loadgen']['cpu_pct_window']:.1f} |")
o = json.load(open(os.path.join(out, "origin.json")))
print(f"\norigin (pid {origin}): CPU {o['server']['cpu_pct_window']:.1f}, RSS {o['server']['rss_kb_window_end'] / 1024:.0f} MB")
print("listeners per edge process (ss, mid-window): " + ", ".join(f"pid {p}: {c}" for p, c in spread.items()))
print(f"total: {connected} connected, {behind} behind, worst delivered ratio {worst:.3f}")
PY
