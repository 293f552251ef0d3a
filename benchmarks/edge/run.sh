#!/usr/bin/env bash
# Edge hit-throughput benchmark (issue 5, benchmark 1): wrk on loopback against the edge and against
# Debian's nginx as a caching proxy (proxy_cache, sendfile on, tcp_nopush off, proxy_cache_lock on,
# open_file_cache), both in front of the same origin, serving the same distinct 1 MiB segments
# from a warm cache, with the same CPU set. Goal: edge requests/s ≥ 1.0 × nginx's, p99 ≤ 1.0 × nginx's.
#
#   - SEGMENTS distinct random 1 MiB bodies under the origin's file store, hls/{id}/720p/{n}.ts;
#   - the measured server (the edge, or TARGET=origin: the origin itself, as a harness check before
#     the edge serves) and nginx are pinned (taskset) to SERVER_CPUS; wrk to WRK_CPUS, one wrk
#     thread per CPU; the origin, idle once the caches are warm, to WRK_CPUS;
#   - warm-up: every URL fetched twice through each server (status and size checked, a few bodies
#     compared byte for byte, nginx's second answer must say X-Cache: HIT);
#   - RUNS rounds, each one wrk run per server (same threads, connections, duration; the order
#     alternates between rounds), a Lua script cycling through the URLs, --latency. The origin's
#     segment counter must not move during a measured run (a warm cache: zero origin fetches) and
#     wrk must see zero errors, or the script fails;
#   - then, if strace exists, a short unmeasured run per server under `strace -c -f` (system calls:
#     is nginx using sendfile, is anything blocking on disk).
# Prints per-run and median requests/s and p99, and the ratios edge/nginx.
#
# Usage: benchmarks/edge/run.sh [RUNS=5]
#   SEGMENTS=128 CONNECTIONS=16 DURATION=10s WARMUP=30s SERVER_CPUS=0 WRK_CPUS=1 TARGET=edge|origin
#   NGINX_WORKERS (default: one per CPU of SERVER_CPUS)
#   EDGE_JAVA_OPTS (default -Xmx1g), EDGE_ENV="REELBOX_EDGE_KEY=value …" (extra edge settings), KEEP=1,
#   JAR=/path/reelbox.jar (another build), PROFILE=1 (a JFR recording of one more edge run, summarised
#   by benchmarks/edge/jfr-top.sh), NO_STRACE=1.
#   The second configuration in docs/edge-cache.md: SERVER_CPUS=0-1 WRK_CPUS=0-1 (all share both cores).
# Needs: packaging/target/reelbox.jar (mvn -B -q -o -DskipTests package), nginx, wrk, taskset, curl;
#   apt-get install -y nginx wrk (strace optional).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-5}"
segments="${SEGMENTS:-128}"
connections="${CONNECTIONS:-16}"
duration="${DURATION:-10s}"
target="${TARGET:-edge}"
SERVER_CPUS="${SERVER_CPUS:-0}"
WRK_CPUS="${WRK_CPUS:-1}"
source "$here/benchmarks/edge/lib.sh"
require_tools
[[ $target == edge || $target == origin ]] || { echo "TARGET is edge or origin" >&2; exit 1; }

work="$(mktemp -d /tmp/reelbox-edge-bench.XXXXXX)"
trap cleanup EXIT
size=1048576
paths="$work/paths.txt"

echo "== generating $segments distinct 1 MiB segments"
make_segments "$segments" "$size" "$paths"

echo "== starting origin, nginx (CPUs $SERVER_CPUS) and the $target (CPUs $SERVER_CPUS); wrk on CPUs $WRK_CPUS"
if [[ $target == origin ]]; then ORIGIN_CPUS="$SERVER_CPUS"; else ORIGIN_CPUS="$WRK_CPUS"; fi
start_origin
start_nginx
if [[ $target == edge ]]; then
  # Four times the set: the policy never has to choose, every object is admitted.
  start_edge $((segments * size * 4))
  target_port=$edge_port
else
  target_port=$origin_port
fi

echo "== warming both (every URL twice)"
fetch() { # port path -> "status size x-cache"
  curl -s -o /dev/null -D "$work/headers" -w '%{http_code} %{size_download}' "http://127.0.0.1:$1$2"
  echo " $(tr -d '\r' < "$work/headers" | awk -F': ' 'tolower($1) == "x-cache" {print $2}')"
}
misses=0
while read -r p; do
  for port in $nginx_port $target_port; do
    first=$(fetch "$port" "$p")
    second=$(fetch "$port" "$p")
    for answer in "$first" "$second"; do
      [[ $answer == "200 $size"* ]] || { echo "GET :$port$p answered '$answer'" >&2; exit 1; }
    done
    [[ $port != "$nginx_port" || $second == *HIT ]] || { echo "nginx did not cache $p: '$second'" >&2; exit 1; }
  done
done < "$paths"
for p in $(head -3 "$paths"); do
  file="$work/blobs/hls/${p#/v/}"
  for port in $nginx_port $target_port; do
    curl -sf "http://127.0.0.1:$port$p" | cmp -s - "$file" || { echo "body of :$port$p differs from $file" >&2; exit 1; }
  done
done
echo "   origin segment requests after warm-up: $(origin_segment_requests) (nginx: $segments misses; the $target: $([[ $target == edge ]] && echo "$segments misses" || echo "all its own"))"

threads=$(cpu_count "$WRK_CPUS")
# CPU time (user + system, clock ticks) of the processes that serve a port: the edge's or the
# origin's JVM (every thread), or nginx's workers. On a shared machine, requests/s says how much of
# the machine a server got; CPU time per request says how much work each answer cost it.
server_pids() {
  if [[ $1 == "$nginx_port" ]]; then pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' '
  elif [[ $target == edge ]]; then echo "$edge_pid"
  else echo "$origin_pid"; fi
}
cpu_ticks() {
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}
hz=$(getconf CLK_TCK)

wrk_once() { # port label -> "rps p99_ms cpu_us_per_request"
  local before after before4 out result spids cpu0 cpu1 cpu_us
  spids=$(server_pids "$1")
  # shellcheck disable=SC2086
  cpu0=$(cpu_ticks $spids)
  before=$(origin_segment_requests)
  before4=$(origin_segment_requests 4xx)
  out=$(WRK_PATHS="$paths" taskset -c "$WRK_CPUS" wrk -t "$threads" -c "$connections" -d "$duration" \
    --latency -s "$here/benchmarks/edge/cycle.lua" "http://127.0.0.1:$1")
  # shellcheck disable=SC2086
  cpu1=$(cpu_ticks $spids)
  after=$(origin_segment_requests)
  result=$(echo "$out" | grep '^RESULT')
  cpu_us=$(echo "$result" | awk -v t=$((cpu1 - cpu0)) -v hz="$hz" '{sub(/.*requests=/, ""); printf "%.0f", t / hz * 1e6 / $1}')
  echo "$2: $result cpu_us_per_req=$cpu_us origin_2xx=$((after - before)) origin_4xx=$(($(origin_segment_requests 4xx) - before4))" >> "$work/results.txt"
  [[ $result == *" errors=0" ]] || { echo "$2: wrk saw errors: $out" >&2; exit 1; }
  if [[ $target == edge || $1 == "$nginx_port" ]] && ((after != before)); then
    echo "$2: $((after - before)) origin fetches during a warm run" >&2
    exit 1
  fi
  echo "$(echo "$result" | sed -E 's/.*rps=([0-9.]+).*p99_ms=([0-9.]+).*/\1 \2/') $cpu_us"
}

# The JIT: a JVM needs tens of seconds of this load before its serving path is compiled (on one core
# C2 was still taking a third of the edge's CPU 5 s into the first run). Unmeasured, both servers.
warmup="${WARMUP:-30s}"
echo "== JIT warm-up: wrk $warmup against each server, not measured"
for port in $target_port $nginx_port; do
  WRK_PATHS="$paths" taskset -c "$WRK_CPUS" wrk -t "$threads" -c "$connections" -d "$warmup" \
    -s "$here/benchmarks/edge/cycle.lua" "http://127.0.0.1:$port" > /dev/null
done

declare -A rps p99 cpu
for i in $(seq 1 "$runs"); do
  order=("$target" nginx)
  ((i % 2 == 0)) && order=(nginx "$target")
  for who in "${order[@]}"; do
    port=$target_port; [[ $who == nginx ]] && port=$nginx_port
    read -r r l c < <(wrk_once "$port" "$who")
    rps[$who]+="$r "
    p99[$who]+="$l "
    cpu[$who]+="$c "
  done
  last() { echo "$1" | awk '{print $NF}'; }
  printf 'run %d/%d: %-6s %7.1f req/s p99 %7.2f ms %5d CPU µs/req | nginx %7.1f req/s p99 %7.2f ms %5d CPU µs/req\n' \
    "$i" "$runs" "$target" "$(last "${rps[$target]}")" "$(last "${p99[$target]}")" "$(last "${cpu[$target]}")" \
    "$(last "${rps[nginx]}")" "$(last "${p99[nginx]}")" "$(last "${cpu[nginx]}")"
done

median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
t_rps=$(echo "${rps[$target]}" | median); n_rps=$(echo "${rps[nginx]}" | median)
t_p99=$(echo "${p99[$target]}" | median); n_p99=$(echo "${p99[nginx]}" | median)
t_cpu=$(echo "${cpu[$target]}" | median); n_cpu=$(echo "${cpu[nginx]}" | median)
echo
echo "== hit throughput, $segments × 1 MiB, wrk -t$threads -c$connections -d$duration, server CPUs $SERVER_CPUS, wrk CPUs $WRK_CPUS ($(nproc) cores), median of $runs"
printf '%-8s %12s %10s %16s\n' server "req/s" "p99 ms" "CPU µs/request"
printf '%-8s %12.1f %10.2f %16.0f\n' "$target" "$t_rps" "$t_p99" "$t_cpu" nginx "$n_rps" "$n_p99" "$n_cpu"
awk -v a="$t_rps" -v b="$n_rps" -v c="$t_p99" -v d="$n_p99" -v e="$t_cpu" -v f="$n_cpu" -v t="$target" \
  'BEGIN {printf "%s/nginx: req/s %.2f× (goal ≥ 1.00), p99 %.2f× (goal ≤ 1.00), CPU per request %.2f×\n", t, a/b, c/d, e/f}'
echo "raw:"
sed 's/^/  /' "$work/results.txt"

if command -v strace >/dev/null && [[ -z ${NO_STRACE:-} ]]; then
  echo
  echo "== system calls during a short unmeasured run (strace -c -f), top 8 by calls"
  for who in nginx "$target"; do
    if [[ $who == nginx ]]; then
      port=$nginx_port
      attach=$(pgrep -P "$(cat "$work/nginx.pid")" | sed 's/^/-p /' | tr '\n' ' ')
    else
      port=$target_port
      attach="-p $([[ $target == edge ]] && echo "$edge_pid" || echo "$origin_pid")"
    fi
    # shellcheck disable=SC2086
    strace -qq -c -f $attach -o "$work/strace-$who.txt" &
    spid=$!
    sleep 1
    WRK_PATHS="$paths" taskset -c "$WRK_CPUS" wrk -t "$threads" -c "$connections" -d 3s \
      -s "$here/benchmarks/edge/cycle.lua" "http://127.0.0.1:$port" | grep '^RESULT' | sed "s/^/  $who (traced) /"
    kill -INT "$spid"; wait "$spid" 2>/dev/null || true
    echo "  $who:"
    awk 'NR > 2 && $4 ~ /^[0-9]+$/ && $NF != "total"' "$work/strace-$who.txt" |
      sort -k4 -n -r | head -8 | sed 's/^/    /'
  done
fi

if [[ -n ${PROFILE:-} && $target == edge ]]; then
  echo
  echo "== where the edge's CPU goes: JFR (settings=profile) over one more unmeasured wrk run"
  jcmd "$edge_pid" JFR.start name=bench settings=profile filename="$work/edge.jfr" >/dev/null
  WRK_PATHS="$paths" taskset -c "$WRK_CPUS" wrk -t "$threads" -c "$connections" -d "$duration" \
    -s "$here/benchmarks/edge/cycle.lua" "http://127.0.0.1:$edge_port" | grep '^RESULT' | sed 's/^/  edge (recorded) /'
  jcmd "$edge_pid" JFR.stop name=bench >/dev/null
  "$here/benchmarks/edge/jfr-top.sh" "$work/edge.jfr" 25
  jfr summary "$work/edge.jfr" | awk '/jdk.GarbageCollection |jdk.ThreadPark |jdk.JavaMonitorWait /' | sed 's/^/  /'
  echo "  recording: $work/edge.jfr (kept with KEEP=1)"
fi
