# Shared by benchmarks/edge/run.sh and benchmarks/edge/coalesce.sh (sourced, not run): the origin,
# the edge and Debian's nginx as a caching proxy, all on loopback, started from one temp directory.
#
# Ports: origin 18182, edge 18183, nginx 18190. The origin serves a file store under $work/blobs.
# Variables read: here, work, SERVER_CPUS (the CPU set the measured server gets: the edge and nginx
# alike), ORIGIN_CPUS (the origin's), EDGE_JAVA_OPTS, EDGE_ENV (extra REELBOX_EDGE_…=… settings).

origin_port=18182
edge_port=18183
nginx_port=18190
secret="bench-secret-bench-secret-bench-secret-0001"
jar="${JAR:-$here/packaging/target/reelbox.jar}"
pids=()

require_tools() {
  local missing=()
  for t in nginx wrk taskset curl java; do command -v "$t" >/dev/null || missing+=("$t"); done
  if ((${#missing[@]})); then
    echo "missing: ${missing[*]}; install with: apt-get update && apt-get install -y nginx wrk util-linux curl" >&2
    exit 1
  fi
  [[ -f "$jar" ]] || { echo "$jar is missing; build it: mvn -B -q -o -DskipTests package" >&2; exit 1; }
}

cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  if [[ -n ${KEEP:-} ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}

cpu_count() { # "0-1,3" -> 3
  echo "$1" | tr ',' '\n' | awk -F- '{n += (NF == 2 ? $2 - $1 + 1 : 1)} END {print n}'
}

new_video_id() { # 11 base64url characters
  head -c 9 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-11
}

make_segments() { # count size_bytes paths_file: count files under hls/{id}/720p/{n}.ts, 32 per video
  local count="$1" size="$2" out="$3" id="" n
  : > "$out"
  for i in $(seq 0 $((count - 1))); do
    if ((i % 32 == 0)); then id="$(new_video_id)"; mkdir -p "$work/blobs/hls/$id/720p"; fi
    n=$((i % 32 + 1))
    head -c "$size" /dev/urandom > "$work/blobs/hls/$id/720p/$n.ts"
    echo "/v/$id/720p/$n.ts" >> "$out"
  done
}

await_log() { # file pattern what
  for _ in $(seq 1 240); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.25
  done
  echo "$3 did not start; its log:" >&2
  tail -30 "$1" >&2
  exit 1
}

start_origin() {
  REELBOX_ORIGIN_HTTP_PORT=$origin_port REELBOX_ORIGIN_DATA_DIR="$work/origin" \
    REELBOX_ORIGIN_STORAGE_FILE_ROOT="$work/blobs" REELBOX_ORIGIN_CLUSTER_SECRET="$secret" \
    REELBOX_ORIGIN_CLUSTER_CONTROL_PLANE_URL=http://127.0.0.1:9 \
    taskset -c "${ORIGIN_CPUS:-0-$(($(nproc) - 1))}" java ${ORIGIN_JAVA_OPTS:--Xmx512m} -jar "$jar" run origin \
    > "$work/origin.log" 2>&1 &
  origin_pid=$!
  pids+=($origin_pid)
  await_log "$work/origin.log" "origin ready at" origin
}

start_edge() {
  local cache_bytes="$1" extra=()
  [[ -n ${EDGE_ENV:-} ]] && read -r -a extra <<<"$EDGE_ENV"
  env REELBOX_EDGE_HTTP_PORT=$edge_port REELBOX_EDGE_DATA_DIR="$work/edge" \
    REELBOX_EDGE_ORIGIN_URLS="http://127.0.0.1:$origin_port" REELBOX_EDGE_CACHE_BYTES="$cache_bytes" \
    REELBOX_EDGE_CLUSTER_SECRET="$secret" REELBOX_EDGE_CLUSTER_CONTROL_PLANE_URL=http://127.0.0.1:9 \
    "${extra[@]}" \
    taskset -c "$SERVER_CPUS" java ${EDGE_JAVA_OPTS:--Xmx1g} -jar "$jar" run edge > "$work/edge.log" 2>&1 &
  edge_pid=$!
  pids+=($edge_pid)
  await_log "$work/edge.log" "edge ready at" edge
}

# nginx as the peer: a caching reverse proxy in front of the same origin, configured the way a
# careful operator would serve immutable 1 MB segments from a warm cache (see docs/edge-cache.md,
# "Benchmarks: hit throughput and coalescing", for why each directive is there).
start_nginx() {
  local workers
  workers=${NGINX_WORKERS:-$(cpu_count "$SERVER_CPUS")}
  mkdir -p "$work/nginx-cache" "$work/nginx-tmp"
  chmod 755 "$work"
  chown -R www-data "$work/nginx-cache" "$work/nginx-tmp" 2>/dev/null || chmod -R 777 "$work/nginx-cache" "$work/nginx-tmp"
  cat > "$work/nginx.conf" <<NGINX
user www-data;
worker_processes $workers;
worker_rlimit_nofile 16384;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  sendfile on;
  tcp_nopush off;
  tcp_nodelay on;
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  open_file_cache max=10000 inactive=300s;
  open_file_cache_valid 300s;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  proxy_cache_path $work/nginx-cache levels=1:2 keys_zone=segments:16m max_size=8g inactive=1y use_temp_path=off;
  upstream origin {
    server 127.0.0.1:$origin_port;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$nginx_port reuseport backlog=4096;
    location /v/ {
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache segments;
      proxy_cache_key \$uri;
      proxy_cache_valid 200 1y;
      proxy_cache_lock on;
      proxy_buffering on;
      add_header X-Cache \$upstream_cache_status;
    }
  }
}
NGINX
  taskset -c "$SERVER_CPUS" nginx -c "$work/nginx.conf"
  for _ in $(seq 1 40); do [[ -s "$work/nginx.pid" ]] && return 0; sleep 0.1; done
  echo "nginx did not start" >&2
  cat "$work/nginx-error.log" >&2
  exit 1
}

# The origin's answered segment requests of one status class (default 2xx: the fetches of objects
# that exist; an edge's prefetch past a video's last segment shows up as 4xx).
origin_segment_requests() {
  curl -sf "http://127.0.0.1:$origin_port/metrics" |
    awk -v st="${1:-2xx}" '/^origin_requests_total\{/ && /kind="segment"/ && index($0, "status=\"" st "\"") {s += $NF}
      END {printf "%d\n", s}'
}

# The edge's own count of origin fetches, if its /metrics has one (0 when absent).
edge_origin_fetches() {
  curl -sf "http://127.0.0.1:$edge_port/metrics" |
    awk '/^edge_origin_fetches_total/ {s += $NF} END {printf "%d\n", s}'
}
