#!/usr/bin/env bash
# Starts TinyIce, building it first when the build is missing or older than the sources.
# Set TINYICE_NO_BUILD=1 to run the jar as it is. Flags pass through: --port N, --host ADDR, --config FILE, --data-dir DIR (see --help).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/scripts/java-home.sh"
jar="$here/bootstrap/target/tinyice.jar"
[ -n "${TINYICE_NO_BUILD:-}" ] || "$here/scripts/build-if-stale.sh"

# JVM flags from the performance work (docs/performance.md): Serial GC keeps RSS close to the live
# heap; 512 MiB holds ~20,000 listeners; a small young generation keeps garbage out of RSS; compact
# object headers save ~1 KB per listener (10,000 listeners: 16.5 -> 15.2 KB of RSS each).
# AlwaysPreTouch touches the 64 MiB initial heap at start (the young generation is used in full within
# seconds of load anyway), so memory grows with listeners, not with how much of it a ramp happened to
# touch; TrimNativeHeapInterval hands the C heap that JIT compilation and connection set-up free back to
# the OS every second (glibc keeps it otherwise). 10,000 listeners: 1.0-1.4 KB of RSS growth each and
# 168-171 MB in all, against 3.8-7.5 KB and 200-232 MB without the two, for the same CPU.
JAVA_OPTS=${TINYICE_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx512m -Xmn48m -XX:+AlwaysPreTouch -XX:TrimNativeHeapInterval=1000 -XX:+UseCompactObjectHeaders -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"}
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$jar" "$@"
