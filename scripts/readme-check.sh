#!/usr/bin/env bash
# Runs the README's commands as a new user would, in the README's order, and fails on the first
# promise that does not hold. .ci/run calls it on a fresh clone before anything is built, so a
# broken first command (./run.sh) turns CI red; a machine that built before would hide it.
#
#   scripts/readme-check.sh
#
# The server runs in a temporary working directory (so tinyice.json and the data land there, as
# the README says) on a free 127.0.0.1 port instead of 8000. Every process it starts is stopped by
# its id on exit. Needs curl, ffmpeg and shout (libshout-tools).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "readme-check: FAILED: $*" >&2
  for log in "$work"/*.log; do
    [ -f "$log" ] && { echo "--- $log" >&2; tail -n 40 "$log" >&2; }
  done
  exit 1
}
ok() { echo "readme-check: ok: $*"; }

# Waits (bounded) until "$@" succeeds, failing with the description if time runs out or the
# server (once started) has exited.
server=
wait_for() { # seconds description command...
  local seconds=$1 what=$2; shift 2
  local end=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$end" ] || fail "$what (waited ${seconds}s)"
    [ -z "$server" ] || kill -0 "$server" 2>/dev/null || fail "$what: the server exited"
    sleep 0.5
  done
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    ss -Hltn "( sport = :$port )" | grep -q . || { echo "$port"; return; }
  done
  fail "no free port found"
}

port=$(free_port)
base="http://127.0.0.1:$port"

# -- ./run.sh: the first command, with nothing built ------------------------------------------
started=$SECONDS
(cd "$work" && exec "$here/run.sh" --host 127.0.0.1 --port "$port" > "$work/server.log" 2> "$work/server-err.log") &
server=$!
pids+=("$server")
# a fresh machine downloads every dependency on the first build: allow for it
wait_for 900 "./run.sh did not serve /status-json.xsl" curl -sf "$base/status-json.xsl"
ok "./run.sh served /status-json.xsl $((SECONDS - started)) s after it was started"

admin_password=$(sed -n "s/^Generated admin credentials: user 'admin', password '\(.*\)'$/\1/p" "$work/server.log")
source_password=$(sed -n "s/^Generated source password: '\(.*\)' (user name: source)$/\1/p" "$work/server.log")
[ -n "$admin_password" ] || fail "./run.sh did not print the generated admin credentials"
[ -n "$source_password" ] || fail "./run.sh did not print the generated source password"
grep -q "not shown again" "$work/server.log" || fail "./run.sh did not say where the passwords are stored"
[ -s "$work/tinyice.json" ] || fail "./run.sh did not write tinyice.json in the working directory"
grep -q "$admin_password" "$work/tinyice.json" && fail "tinyice.json holds the admin password in plain text"
ok "credentials printed once; tinyice.json written without them in plain text"

# -- java -jar ... --help -------------------------------------------------------------------------
"$JAVA_HOME/bin/java" -jar "$here/bootstrap/target/tinyice.jar" --help | grep -q -- '--data-dir' \
  || fail "java -jar bootstrap/target/tinyice.jar --help did not print the usage"
ok "java -jar bootstrap/target/tinyice.jar --help"

# -- Streaming to it: the README's ffmpeg and shout commands ------------------------------------
ffmpeg -nostdin -loglevel error -f lavfi -i "sine=frequency=440:duration=60" -ac 2 -c:a libmp3lame -b:a 128k \
  "$work/music.mp3" || fail "could not make music.mp3 with ffmpeg"
ffmpeg -nostdin -loglevel error -re -i "$work/music.mp3" -c copy -content_type audio/mpeg -f mp3 \
  "icecast://source:$source_password@127.0.0.1:$port/live" > "$work/ffmpeg.log" 2>&1 &
pids+=("$!")
wait_for 20 "ffmpeg's /live did not appear in /status-json.xsl" \
  sh -c "curl -sf '$base/status-json.xsl' | grep -q '\"listenurl\":\"[^\"]*/live\"'"
ok "ffmpeg streams to /live"

curl -s --max-time 3 -o "$work/live.mp3" "$base/live" || true
[ "$(stat -c %s "$work/live.mp3")" -gt 16000 ] || fail "a listener of /live got $(stat -c %s "$work/live.mp3") bytes in 3 s"
ok "listening at /live"
for kind in m3u pls xspf; do
  curl -sf "$base/live.$kind" | grep -q "$base/live" || fail "/live.$kind does not name $base/live"
done
ok "/live.m3u, /live.pls, /live.xspf"

curl -sf -u "source:$source_password" "$base/admin/metadata?mode=updinfo&mount=/live&song=Artist%20-%20Title" \
  | grep -q "Metadata update successful" || fail "the README's metadata command was not accepted"
wait_for 5 "the title set with /admin/metadata is not in /status-json.xsl" \
  sh -c "curl -sf '$base/status-json.xsl' | grep -q 'Artist - Title'"
ok "now playing set with /admin/metadata"

# the README says every MP3 mount is also HLS: a playlist once the first segment is cut (4 s)
wait_for 20 "/live/index.m3u8 does not list a segment" \
  sh -c "curl -sf '$base/live/index.m3u8' | grep -q '^#EXTINF'"
ok "/live/index.m3u8 (HLS)"

shout --usage audio --format mp3 -H 127.0.0.1 -P "$port" --mount /live2 --user source --pass "$source_password" \
  < "$work/music.mp3" > "$work/shout.log" 2>&1 &
pids+=("$!")
wait_for 20 "shout's /live2 did not appear in /status-json.xsl" \
  sh -c "curl -sf '$base/status-json.xsl' | grep -q '\"listenurl\":\"[^\"]*/live2\"'"
ok "shout streams to /live2"

# -- Running a station: the dashboard, the public page, an API token, SIGHUP --------------------
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/admin")" != 404 ] || fail "/admin answers 404"
curl -sf "$base/" | grep -qi "<html" || fail "/ does not serve the public page"
ok "/admin and / answer"

jar="$work/cookies"
[ "$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" --data-urlencode user=admin \
      --data-urlencode "password=$admin_password" "$base/admin/login")" = 303 ] || fail "dashboard login failed"
csrf=$(curl -sf -b "$jar" "$base/admin/session" | sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p')
[ -n "$csrf" ] || fail "no CSRF token in /admin/session"
token=$(curl -sf -b "$jar" -H "X-CSRF-Token: $csrf" --data-urlencode name=readme-check "$base/admin/tokens/create" \
  | grep -o 'tinyice_[A-Za-z0-9_-]*' | head -n 1)
[ -n "$token" ] || fail "no API token made on the Accounts page's route"
curl -sf -H "Authorization: Bearer $token" "$base/api/status" | grep -q '"mount":"/live"' \
  || fail "curl -H 'Authorization: Bearer ...' /api/status did not list /live"
ok "an API token made on the dashboard opens /api/status"

curl -s --max-time 8 -o "$work/reload-listener.mp3" "$base/live" &
listener=$!
pids+=("$listener")
sleep 1
sed -i 's/"location": *"[^"]*"/"location": "Reloaded by hand"/' "$work/tinyice.json"
grep -q '"location": "Reloaded by hand"' "$work/tinyice.json" || fail "tinyice.json has no location key to edit"
kill -HUP "$server"
wait_for 10 "kill -HUP did not reload tinyice.json" \
  sh -c "curl -sf '$base/status-json.xsl' | grep -q 'Reloaded by hand'"
wait "$listener" || true
[ "$(stat -c %s "$work/reload-listener.mp3")" -gt 100000 ] \
  || fail "a listener across kill -HUP got only $(stat -c %s "$work/reload-listener.mp3") bytes in 8 s"
ok "kill -HUP reloads tinyice.json and the listener plays on"

kill "$server"
for _ in $(seq 1 40); do kill -0 "$server" 2>/dev/null || break; sleep 0.25; done
kill -0 "$server" 2>/dev/null && fail "the server did not stop within 10 s of SIGTERM"
ok "the server stops on SIGTERM"
# -- A cluster: scripts/cluster.sh start ... / stop --------------------------------------------
server=  # stopped above; the cluster has its own processes
cluster_port=$(free_port); origin_port=$(free_port)
cluster="$work/cluster"
TINYICE_SOURCE_PASSWORD=$source_password "$here/scripts/cluster.sh" start --edges 2 --port "$cluster_port" \
  --origin-port "$origin_port" --host 127.0.0.1 --dir "$cluster" > "$work/cluster.log" 2>&1 \
  || fail "scripts/cluster.sh start failed"
for f in "$cluster"/*.pid; do pids+=("$(cat "$f")"); done
ffmpeg -nostdin -loglevel error -re -i "$work/music.mp3" -c copy -content_type audio/mpeg -f mp3 \
  "icecast://source:$source_password@127.0.0.1:$origin_port/live" > "$work/cluster-ffmpeg.log" 2>&1 &
pids+=("$!")
for edge in edge-1 edge-2; do
  wait_for 30 "$edge of the cluster does not relay /live" grep -q "/live: relaying" "$cluster/$edge/server.log"
done
curl -s --max-time 3 -o "$work/cluster-live.mp3" "http://127.0.0.1:$cluster_port/live" || true
[ "$(stat -c %s "$work/cluster-live.mp3")" -gt 16000 ] \
  || fail "a listener on the cluster's public port got $(stat -c %s "$work/cluster-live.mp3") bytes in 3 s"
cluster_pids=$(cat "$cluster"/*.pid)
"$here/scripts/cluster.sh" stop --dir "$cluster" || fail "scripts/cluster.sh stop failed"
for pid in $cluster_pids; do kill -0 "$pid" 2>/dev/null && fail "cluster process $pid still runs after stop"; done
ok "scripts/cluster.sh: an origin and two edges on one port; a listener plays from the edges; stop ends all three"

echo "readme-check: every README command works"
