#!/usr/bin/env bash
# Builds the DialogueCBOR libFuzzer target and runs it for SECONDS (default 600).
#
#   Fuzz/run-fuzzer.sh [seconds]
#
# The committed seed corpus (Fuzz/corpus) is copied to a scratch directory
# (Fuzz/corpus-work, gitignored) so that new inputs found while fuzzing never
# land in the committed corpus. Crashes are written as Fuzz/crash-* (also
# gitignored); each one becomes a regression test in Tests/DialogueCBORTests.
set -euo pipefail

seconds="${1:-600}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
export PATH="/opt/swift/usr/bin:$PATH"

cd "$root"
# Release with the sanitizers: faster than debug, and the preconditions the
# target checks stay active in release builds.
#
# The -Xswiftc flag matters: SwiftPM turns `--sanitize=fuzzer --sanitize=address`
# into two separate `-sanitize=` options, and the Swift driver keeps only the
# last one, in an order that varies from build to build. Without the combined
# flag the binary silently lacks either ASan or the coverage instrumentation
# (libFuzzer then warns "no interesting inputs were found" and never grows
# its corpus). The combined flag comes last and wins.
swift build --package-path Fuzz --scratch-path Fuzz/.build-fuzz -c release \
    --product DialogueCBORFuzzer --sanitize=fuzzer --sanitize=address \
    -Xswiftc -sanitize=fuzzer,address

# Refuse to run an uninstrumented binary.
binary="$here/.build-fuzz/release/DialogueCBORFuzzer"
if ! objdump -h "$binary" | grep -q __sancov_cntrs || ! objdump -h "$binary" | grep -q asan_globals; then
    echo "error: $binary lacks coverage or ASan instrumentation" >&2
    exit 1
fi

work="$here/corpus-work"
mkdir -p "$work"
cp -n "$here"/corpus/* "$work"/ 2>/dev/null || true

cd "$here"
exec "$binary" \
    -max_total_time="$seconds" \
    -max_len=4096 \
    -print_final_stats=1 \
    -artifact_prefix="$here/" \
    "$work"
