#!/usr/bin/env bash
# Builds bootstrap/target/tinyice.jar when it is missing or older than a pom.xml or a main source.
# Used by run.sh and scripts/bench.sh. -DskipTests compiles the tests without running them: the
# persistence module's contract tests come from the application's test jar, which
# -Dmaven.test.skip=true would not build, so a fresh clone could not package the server.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
jar="$here/bootstrap/target/tinyice.jar"

stale() {
  [ -f "$jar" ] || return 0
  [ -n "$(find "$here" -path "$here/*/target" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) \
          -newer "$jar" -print -quit)" ]
}
if stale; then
  echo "Building TinyIce (the first build downloads its dependencies)..." >&2
  (cd "$here" && mvn -q -B -ntp -DskipTests package) >&2
fi
