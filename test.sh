#!/usr/bin/env bash
# Runs every test: unit, contract, architecture, and integration tests that drive a real TinyIce
# with real encoders (ffmpeg, shout, ezstream, liquidsoap), players (curl, ffprobe) and Debian's icecast2
# (as a relay's origin, and as an edge of TinyIce) over loopback.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/scripts/java-home.sh"

missing=()
for tool in ffmpeg ffprobe shout ezstream curl icecast2 liquidsoap chromium chromedriver pebble openssl; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
# HlsCacheTest runs Debian's nginx as the cache in front (in /usr/sbin, outside a user's PATH)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing test tools: ffmpeg libshout-tools ezstream curl icecast2 liquidsoap nginx chromium chromium-driver pebble openssl" >&2
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      ffmpeg libshout-tools ezstream curl icecast2 liquidsoap nginx chromium chromium-driver fonts-dejavu-core pebble openssl >&2
  else
    echo "Missing test tools: ${missing[*]}. Install them: sudo apt-get install ffmpeg libshout-tools ezstream curl icecast2 liquidsoap nginx chromium chromium-driver pebble openssl" >&2
    exit 1
  fi
fi
cd "$here"
exec mvn -B -ntp verify "$@"
