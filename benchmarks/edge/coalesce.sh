#!/usr/bin/env bash
# Edge coalescing benchmark (issue 5, benchmark 3): origin fetches per unique object under
# concurrency; goal 1.00.
#
# Each round, CLIENTS clients (Coalesce.java), released together by a barrier, each ask for the same
# OBJECTS objects that the server has never seen (CLIENTS × OBJECTS requests at once, one
# connection each); every answer is checked (200, full length, CRC32 of the origin's file). The
# origin's /metrics (origin_requests_total, kind="segment") before and after the round gives the
# fetches the server made; fetches / OBJECTS is the figure. Every round and every server gets fresh
# keys (distinct video ids), so nothing is ever a hit from an earlier round.
#
# The same burst goes to nginx (proxy_cache_lock on, the same configuration as run.sh) as the peer,
# and TARGET=origin sends it to the origin itself, which does not coalesce: the figure must then be
# CLIENTS, which shows the count is real.
#
# The origin is the real one serving SIZE_MIB-MiB files from its file store: no artificial delay;
# a fetch lasts as long as it takes the origin to send SIZE_MIB MiB, while the burst's later
# requests are still arriving, so the round checks both the joining of a fetch in flight and the
# hit right after it.
#
# Usage: benchmarks/edge/coalesce.sh [ROUNDS=3]
#   CLIENTS=100 OBJECTS=4 SIZE_MIB=1 TARGET=edge|origin SERVER_CPUS=<all> EDGE_JAVA_OPTS EDGE_ENV KEEP=1
# Needs what run.sh needs (wrk aside); exits 1 if the edge's figure is not 1.00 in every round.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rounds="${1:-3}"
clients="${CLIENTS:-100}"
objects="${OBJECTS:-4}"
size=$((${SIZE_MIB:-1} * 1048576))
target="${TARGET:-edge}"
SERVER_CPUS="${SERVER_CPUS:-0-$(($(nproc) - 1))}"
ORIGIN_CPUS="$SERVER_CPUS"
source "$here/benchmarks/edge/lib.sh"
require_tools
[[ $target == edge || $target == origin ]] || { echo "TARGET is edge or origin" >&2; exit 1; }

work="$(mktemp -d /tmp/reelbox-edge-coalesce.XXXXXX)"
trap cleanup EXIT

echo "== $rounds rounds (and a warm-up round) × 2 servers × $objects fresh objects of $((size / 1048576)) MiB"
for r in $(seq 0 "$rounds"); do
  for who in "$target" nginx; do
    # One video per set: OBJECTS ≤ 32 keeps each set under one fresh id.
    make_segments "$objects" "$size" "$work/paths-$r-$who.txt"
  done
done
javac -d "$work/classes" "$here/benchmarks/edge/Coalesce.java"

start_origin
start_nginx
if [[ $target == edge ]]; then
  start_edge $(((rounds + 1) * objects * size * 4))
  target_port=$edge_port
else
  target_port=$origin_port
fi

failed=0
declare -A ratios
# Round 0 warms the JVMs (JIT, connection pools) on keys of its own; it is printed, not counted.
for r in $(seq 0 "$rounds"); do
  for who in "$target" nginx; do
    port=$target_port; [[ $who == nginx ]] && port=$nginx_port
    before=$(origin_segment_requests)
    edge_before=$(edge_origin_fetches 2>/dev/null || echo 0)
    result=$(java -Xmx512m -cp "$work/classes" Coalesce "http://127.0.0.1:$port" "$clients" \
      "$work/paths-$r-$who.txt" "$work/blobs") || { echo "$who: bad answers: $result" >&2; failed=1; }
    sleep 0.5 # an origin answer is counted when its last byte is written
    after=$(origin_segment_requests)
    ratio=$(awk -v a="$after" -v b="$before" -v m="$objects" 'BEGIN {printf "%.2f", (a - b) / m}')
    ((r == 0)) || ratios[$who]+="$ratio "
    extra=""
    if [[ $who == edge && $r -gt 0 ]]; then
      extra=" (edge's own counter: $(($(edge_origin_fetches 2>/dev/null || echo 0) - edge_before)))"
      [[ $ratio == 1.00 ]] || failed=1
    fi
    ((r == 0)) && extra+=" (warm-up, not counted)"
    printf 'round %d %-6s origin fetches %4d for %d objects = %s per object%s; %s\n' "$r" "$who" \
      $((after - before)) "$objects" "$ratio" "$extra" "${result#RESULT }"
  done
done
echo
echo "== origin fetches per unique object, $clients clients × $objects objects at once, $rounds rounds (goal 1.00)"
for who in "$target" nginx; do echo "$who: ${ratios[$who]}"; done
if [[ $target == edge ]]; then
  echo "edge /metrics at the end:"
  curl -sf "http://127.0.0.1:$edge_port/metrics" | grep -E '^edge_(requests|origin|coalesced|prefetches)' | sed 's/^/  /'
  echo "origin segment answers: 2xx $(origin_segment_requests 2xx), 4xx $(origin_segment_requests 4xx)"
fi
exit $failed
