#!/usr/bin/env bash
# Summarises the CPU samples of a JFR recording (jdk.ExecutionSample): the top frames where the
# time was spent (self), and the methods seen anywhere on the sampled stacks (total; recursion
# counted once per sample). async-profiler is not available here; JFR is in every JDK.
# Usage: benchmarks/edge/jfr-top.sh FILE.jfr [TOP=25]
set -euo pipefail
file="$1"
top="${2:-25}"
jfr print --events jdk.ExecutionSample --stack-depth 64 "$file" | awk -v top="$top" '
  /^jdk.ExecutionSample/ {n++; depth = -1; delete seen; next}
  /stackTrace = \[/ {depth = 0; next}
  depth >= 0 && /^[ \t]*\]/ {depth = -1; next}
  depth >= 0 {
    f = $0; sub(/^[ \t]+/, "", f); sub(/[ \t]+line:.*/, "", f); sub(/\(.*$/, "", f)
    if (f == "...") next
    if (depth == 0) self[f]++
    if (!(f in seen)) {total[f]++; seen[f] = 1}
    depth++
  }
  END {
    printf "%d samples\n-- self (top of stack)\n", n
    for (f in self) printf "%6.1f%%  %s\n", 100 * self[f] / n, f | "sort -rn | head -" top
    close("sort -rn | head -" top)
    printf "-- total (anywhere on the stack)\n"
    for (f in total) printf "%6.1f%%  %s\n", 100 * total[f] / n, f | "sort -rn | head -" top
  }'
