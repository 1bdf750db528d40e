#!/usr/bin/env bash
# A TinyIce cluster on one machine: one origin that takes the encoders and N edges that share one
# public port through SO_REUSEPORT, each relaying every mount of the origin (master mode). The
# kernel spreads listeners over the edges, so one machine is no longer held to one process's
# open-file limit and every core is used. See docs/relays.md ("A cluster").
#
#   scripts/cluster.sh start [--edges N] [--port P] [--origin-port O] [--host ADDR] [--dir DIR]
#   scripts/cluster.sh stop  [--dir DIR]
#   scripts/cluster.sh status [--dir DIR]
#
# Defaults: 2 edges on port 8000, the origin on 8010, all bound to 0.0.0.0, files in ./cluster.
# Encoders connect to the origin's port; listeners to the public port. Passwords come from
# TINYICE_SOURCE_PASSWORD / TINYICE_ADMIN_PASSWORD (generated and printed by each process when
# unset); the relay account's password from TINYICE_RELAY_PASSWORD (generated once, kept in DIR).
# TINYICE_JAVA_OPTS passes through to run.sh. Each process keeps its own tinyice.json, SQLite
# history and server.log in DIR/origin and DIR/edge-K; DIR/*.pid hold their process ids.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command=${1:-}; [ $# -gt 0 ] && shift
edges=2; port=8000; origin_port=8010; host=0.0.0.0; dir=$PWD/cluster
while [ $# -gt 0 ]; do
  case "$1" in
    --edges) edges=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --origin-port) origin_port=$2; shift 2 ;;
    --host) host=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# The edges reach the origin on the loopback interface unless it is bound elsewhere.
origin_host=$host; [ "$host" = 0.0.0.0 ] && origin_host=127.0.0.1

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for_port() { # port pid: bounded wait until the process listens
  for _ in $(seq 1 300); do
    kill -0 "$2" 2>/dev/null || return 1
    ss -Hltnp "( sport = :$1 )" 2>/dev/null | grep -q "pid=$2," && return 0
    sleep 0.2
  done
  return 1
}

start_process() { # name port [extra run.sh args...]
  local name=$1 p=$2; shift 2
  (cd "$dir/$name" && ulimit -n "$(ulimit -Hn)" && TINYICE_NO_BUILD=1 \
    exec "$here/run.sh" --host "$host" --port "$p" "$@" >> server.log 2>&1) &
  echo $! > "$dir/$name.pid"
  if ! wait_for_port "$p" "$!"; then
    echo "$name did not start listening on port $p; see $dir/$name/server.log:" >&2
    tail -n 20 "$dir/$name/server.log" >&2
    exit 1
  fi
  echo "$name: pid $(cat "$dir/$name.pid"), port $p, log $dir/$name/server.log"
}

stop_all() {
  local pids=()
  for f in "$dir"/*.pid; do
    [ -f "$f" ] || continue
    alive "$f" && pids+=("$(cat "$f")") && kill "$(cat "$f")"
  done
  # SIGTERM lets each write its queued history; wait for them, bounded, then make sure.
  for _ in $(seq 1 100); do
    local left=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && left=1; done
    [ $left = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$dir"/*.pid
}

case "$command" in
  start)
    for f in "$dir"/*.pid; do
      if alive "$f"; then echo "a cluster already runs from $dir (stop it first)" >&2; exit 1; fi
    done
    mkdir -p "$dir/origin"
    [ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"
    relay_password=${TINYICE_RELAY_PASSWORD:-}
    if [ -z "$relay_password" ]; then
      [ -f "$dir/relay-password" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$dir/relay-password")
      relay_password=$(cat "$dir/relay-password")
    fi
    # Only the keys the cluster needs are written; TinyIce fills in the rest on first start and
    # hashes the relay password in the origin's file.
    [ -f "$dir/origin/tinyice.json" ] || printf '{"relay_password": "%s"}\n' "$relay_password" > "$dir/origin/tinyice.json"
    start_process origin "$origin_port"
    for k in $(seq 1 "$edges"); do
      mkdir -p "$dir/edge-$k"
      # The edge polls the origin's stream list every 5 s (Icecast's default is 120): a new mount
      # reaches listeners on the public port within seconds, and the poll costs the origin one
      # small request per edge.
      [ -f "$dir/edge-$k/tinyice.json" ] || printf '{"master": {"url": "http://%s:%s", "username": "relay", "password": "%s", "interval": 5}}\n' \
        "$origin_host" "$origin_port" "$relay_password" > "$dir/edge-$k/tinyice.json"
      start_process "edge-$k" "$port" --share-port
    done
    echo "encoders: http://$origin_host:$origin_port/<mount>   listeners: http://$host:$port/<mount>"
    ;;
  stop)
    stop_all
    ;;
  status)
    for f in "$dir"/*.pid; do
      [ -f "$f" ] || continue
      name=$(basename "$f" .pid)
      if alive "$f"; then
        pid=$(cat "$f")
        echo "$name: pid $pid, $(ls /proc/"$pid"/fd | wc -l) open files, RSS $(awk '/VmRSS/ {print $2, $3}' /proc/"$pid"/status)"
      else
        echo "$name: not running"
      fi
    done
    ;;
  *)
    echo "usage: scripts/cluster.sh start|stop|status [--edges N] [--port P] [--origin-port O] [--host ADDR] [--dir DIR]" >&2
    exit 2
    ;;
esac
