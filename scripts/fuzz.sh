#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of every parser that takes bytes from the network or the disk:
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]        # 60 by default; every target, one after the other
#   TINYICE_FUZZ_ONLY=QueryString scripts/fuzz.sh 30   # only the targets whose name contains this
#
# Each @FuzzTest method runs in a JVM of its own (Jazzer fuzzes one per JVM) in fuzzing mode
# (JAZZER_FUZZ=1) for SECONDS_PER_TARGET. An input that fails a target is written by Jazzer into the
# test's inputs directory, src/test/resources/<package>/<Class>Inputs/<method>/, where ./test.sh
# (Jazzer's regression mode, without JAZZER_FUZZ) runs it from then on: commit it with the fix. The
# inputs Jazzer found interesting are kept in <module>/.cifuzz-corpus/ (not committed) so that a next
# run starts from them. Prints one line per target and exits non-zero when any target found something.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/java-home.sh"
seconds=${1:-60}

targets=(
  "adapters-http:org.tinyice.adapters.http.icecast.RequestHeadReaderFuzzTest#readsAHeadOrRefusesItAsABadRequest"
  "adapters-http:org.tinyice.adapters.http.icecast.ChunkedBodyFuzzTest#anyBodyEndsOrIsRefusedAndOnlyValidFramingCompletes"
  "adapters-http:org.tinyice.adapters.http.icecast.ChunkedBodyFuzzTest#aFramedBodyComesOutWhole"
  "adapters-http:org.tinyice.adapters.http.QueryStringFuzzTest#parsesAnyTextWithoutThrowing"
  "adapters-http:org.tinyice.adapters.http.QueryStringFuzzTest#decodesWhatWasEncoded"
  "adapters-http:org.tinyice.adapters.http.AuthorizationFuzzTest#anyHeaderIsReadOrRefusedWithoutThrowing"
  "adapters-http:org.tinyice.adapters.http.AuthorizationFuzzTest#basicCredentialsComeBackAsTheyWereSent"
  "adapters-http:org.tinyice.adapters.http.AuthorizationFuzzTest#aBearerTokenComesBackAsItWasSent"
  "domain:org.tinyice.domain.icy.IcyDeinterleaverFuzzTest#anyWireGivesTheSameResultHoweverItIsSplit"
  "domain:org.tinyice.domain.icy.IcyDeinterleaverFuzzTest#aWellFormedWireGivesBackItsAudioAndTitles"
  "domain:org.tinyice.domain.icy.IcyDeinterleaverFuzzTest#readsATitleFromAnyBlock"
  "domain:org.tinyice.domain.stream.OggPageAssemblerFuzzTest#passesAnyInputThroughUnalteredHoweverItIsSplit"
  "domain:org.tinyice.domain.stream.Mp3FramesFuzzTest#readsAnyBytesWithoutThrowingAndFramesMoveForward"
  "adapters-persistence:org.tinyice.adapters.persistence.config.JsonConfigurationFileFuzzTest#anyFileLoadsOrIsRefusedAndWhatLoadsSavesBackEqual"
)

cd "$here"
logs=$(mktemp -d /tmp/tinyice-fuzz.XXXXXX)
# compile once; each target's run then only checks that nothing changed
mvn -B -ntp -q test-compile >"$logs/compile.log" 2>&1 || { cat "$logs/compile.log"; exit 2; }

failed=0
printf '%-100s %8s  %s\n' "target" "seconds" "result"
for target in "${targets[@]}"; do
  module=${target%%:*}
  test=${target#*:}
  if [ -n "${TINYICE_FUZZ_ONLY:-}" ] && [[ "$test" != *"$TINYICE_FUZZ_ONLY"* ]]; then
    continue
  fi
  log="$logs/${test##*.}.log"
  start=$(date +%s)
  # arg.0 is libFuzzer's argv[0]; a -max_total_time given here comes after the annotation's and wins
  JAZZER_FUZZ=1 mvn -B -ntp -q -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" >"$log" 2>&1
  status=$?
  took=$(( $(date +%s) - start ))
  runs=$(grep -oE '#[0-9]+\s+DONE' "$log" | tail -1 | grep -oE '[0-9]+' || true)
  if [ $status -eq 0 ]; then
    printf '%-100s %8s  %s\n' "$test" "$took" "ok${runs:+ ($runs inputs)}"
  else
    failed=1
    printf '%-100s %8s  %s\n' "$test" "$took" "FOUND SOMETHING: see $log"
    grep -E 'Exception|Error|crash-|Test unit written' "$log" | head -5 | sed 's/^/    /'
  fi
done
echo "logs: $logs"
exit $failed
