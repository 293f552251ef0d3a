#!/usr/bin/env bash
# Edge hit-path benchmark (issue 5): wrk against 1 MiB segments already cached, over loopback.
#   peer:    nginx proxy_cache + sendfile in front of an nginx origin (port 18101)
#   reelbox: an edge JVM (memory tier hit) in front of the same nginx origin (port 18102)
# Each run is interleaved (nginx, edge, nginx, edge…); prints requests/s and p99 of every run and the
# median of each. Both caches are warmed with one request per URL first.
#
# Usage: benchmarks/edge/run.sh [RUNS=3] [SECONDS=8] [CONNECTIONS=16]
# Needs: packaging/target/reelbox.jar (mvn -DskipTests package), nginx, wrk (installed if missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-3}"
secs="${2:-8}"
conns="${3:-16}"
jar="$here/packaging/target/reelbox.jar"
[[ -f "$jar" ]] || (cd "$here" && mvn -B -q -DskipTests package)
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

work="$(mktemp -d /tmp/reelbox-edge-bench.XXXXXX)"
chmod 755 "$work"
edge_pid=""
cleanup() {
  [[ -n "$edge_pid" ]] && kill "$edge_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

video=dQw4w9WgXcQ
mkdir -p "$work/root/v/$video/720p" "$work/cache" "$work/edge"
for i in 0 1 2 3; do head -c 1048576 /dev/urandom > "$work/root/v/$video/720p/$i.ts"; done
chmod -R a+rX "$work/root"

cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp-body;
  proxy_temp_path $work/tmp-proxy;
  fastcgi_temp_path $work/tmp-fcgi;
  uwsgi_temp_path $work/tmp-uwsgi;
  scgi_temp_path $work/tmp-scgi;
  proxy_cache_path $work/cache keys_zone=edge:10m max_size=1g;
  types { video/mp2t ts; }
  server {                       # the origin: plain files, token prefix accepted and ignored
    listen 127.0.0.1:18100;
    root $work/root;
    location ~ ^/t/[^/]+/(v/.*)\$ { try_files /\$1 =404; }
  }
  server {                       # the peer: nginx as a caching reverse proxy
    listen 127.0.0.1:18101;
    location / {
      proxy_pass http://127.0.0.1:18100;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache edge;
      proxy_cache_valid 200 1h;
      proxy_cache_lock on;
    }
  }
}
CONF
nginx -c "$work/nginx.conf"

cat > "$work/edge.yaml" <<CONF
http: {host: 127.0.0.1, port: 18102}
dataDir: $work/edge
cluster: {secret: "edge-benchmark-cluster-secret-0123456789"}
origin: {urls: [http://127.0.0.1:18100]}
cache: {bytes: 1073741824}
prefetch: {segments: 0}
CONF
java -Xmx512m -cp "$jar" org.reelbox.edge.EdgeMain --config "$work/edge.yaml" > "$work/edge.log" 2>&1 &
edge_pid=$!
for _ in $(seq 1 100); do curl -sf -o /dev/null http://127.0.0.1:18102/readyz && break; sleep 0.2; done

url="/v/$video/720p/0.ts"
for port in 18101 18102; do curl -sf -o /dev/null "http://127.0.0.1:$port$url"; curl -sf -o /dev/null "http://127.0.0.1:$port$url"; done

declare -A rps p99
for r in $(seq 1 "$runs"); do
  for port in 18101 18102; do
    out="$(wrk -t2 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$port$url")"
    q="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
    l="$(awk '$1=="99%" {print $2}' <<<"$out")"
    name=$([[ $port == 18101 ]] && echo nginx || echo edge)
    echo "run $r $name: $q req/s, p99 $l (load $(cut -d' ' -f1 /proc/loadavg))"
    rps[$name]+="$q "
    p99[$name]+="$l "
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
n="$(median <<<"${rps[nginx]}")"; e="$(median <<<"${rps[edge]}")"
echo "median req/s: nginx $n, edge $e, ratio $(awk -v e="$e" -v n="$n" 'BEGIN {printf "%.2f", e/n}')"
echo "p99: nginx ${p99[nginx]}| edge ${p99[edge]}"
