#!/usr/bin/env bash
# The benchmark table of BENCHMARKS.md in one command:
#
#   bench/run.sh                      gateway at 10k, 100k spans/s and max (+80% of max); sidecar at 10k
#   bench/run.sh --soak 10m           ... plus a 10-minute soak of the default config at 50k spans/s
#   bench/run.sh --help               every option (rates, protocols, durations, JVM flags, ...)
#
# It builds the jar (through ./inflight) and runs `inflight bench`, which starts inflight with the
# ./inflight launcher (its sidecar JVM flags; add flags with --java-opts) as a separate process and
# drives it from this JVM. Progress goes to stderr, the table to stdout. Linux only (reads /proc).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
./inflight --version >/dev/null # builds app/target/inflight.jar when it is missing or stale
JAVA="java"
if [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; fi
# The harness JVM (load generator, parse floor, sink) gets room and a parallel collector, so it is
# not what limits the rate.
exec "$JAVA" -Xms512m -Xmx2g -XX:+UseParallelGC -jar app/target/inflight.jar bench --launcher "$ROOT/inflight" "$@"
