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
JAVA_OPTS=${TINYICE_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmx512m -Xmn48m -XX:+UseCompactObjectHeaders -XX:+ExitOnOutOfMemoryError --enable-native-access=ALL-UNNAMED"}
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" $JAVA_OPTS -jar "$jar" "$@"
