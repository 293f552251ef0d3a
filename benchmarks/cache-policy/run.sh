#!/usr/bin/env bash
# Cache-policy trace simulation (issue 5, benchmark 2): replays a synthetic HLS segment trace
# (100k videos, Zipf alpha 0.6/0.8/1.0, 0.45/0.9/2.25 MB ±30% segments, partial viewing, new
# uploads over the week) against the edge's own policy (org.reelbox.edge.cache.CachePolicy, the
# Caffeine index RocksSegmentCache uses), LRU, LRU storing on the 2nd request (nginx min_uses 2),
# S3-FIFO, SIEVE, Belady with bypass (offline, feasible: an upper bound on OPT) and PFOO-L (a lower
# bound on OPT), at caches of 1/5/10/20% of the catalog's bytes. Prints byte and object miss
# ratios per alpha and size, and the goal check at 5% and alpha 0.8 (edge <= 0.85 x LRU and
# <= 1.15 x the bound, in byte miss ratio). The model is documented in docs/edge-cache.md.
#
# Usage: benchmarks/cache-policy/run.sh [--quick] [--alphas 0.6,0.8,1.0] [--sizes 0.01,0.05,0.1,0.2] [--pooled N]
#                                       [--threads N]
#   --quick: a tenth of the trace (10k videos, 50k sessions, ~1.2M requests per alpha): a few minutes.
#   full:    100k videos, 500k sessions, ~11-12M requests per alpha: about 15 CPU minutes (2 threads).
#   JAVA_OPTS overrides the heap (default -Xmx6g; the full run needs about 3 GB).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$here"
cp_file="$PWD/benchmarks/target/cache-policy.classpath"
# One reactor build (test-compile: edge-cache needs common's test classes resolved): compiles the modules the simulator needs and writes its classpath, in which
# the sibling modules are their target/classes folders (never mvn install). The benchmarks module
# is built last, so the file ends up holding its classpath.
mvn -B -q -o -pl benchmarks -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$cp_file" >/dev/null \
  || mvn -B -q -pl benchmarks -am test-compile dependency:build-classpath -DskipTests -Dmdep.outputFile="$cp_file"
cp="benchmarks/target/classes:$(cat "$cp_file")"
threads=$(( $(nproc) < 2 ? 1 : 2 ))
args=("$@")
[[ " $* " == *" --threads "* ]] || args+=(--threads "$threads")
echo "== cache-policy simulation on $(nproc) cores (load $(cut -d' ' -f1-3 /proc/loadavg)), $(java -version 2>&1 | head -1)"
exec java ${JAVA_OPTS:--Xmx6g} -cp "$cp" org.reelbox.benchmarks.cachepolicy.CachePolicySimulator "${args[@]}"
