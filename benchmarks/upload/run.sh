#!/usr/bin/env bash
# Upload benchmark (issue 3): 1 GiB over loopback.
#   peer:   curl -T (a plain HTTP PUT) into Debian's nginx (dav_methods PUT), same file, same run
#   reelbox: the unmodified tus-js-client, parallelUploads 1 and 4, into a separate ingest JVM
# Prints medians of RUNS runs, the ratios to nginx (and of tus-js-client to Node's own PUT into nginx,
# the same client runtime), and ingest's peak resident memory (VmRSS).
#
# Every transfer starts with no dirty pages (`sync` first, not timed): otherwise each row would pay
# for the write-back of the gigabyte the row before it left in the page cache.
#
# Usage: benchmarks/upload/run.sh [SIZE_MIB=1024] [RUNS=3]
#   BASELINE_JAR=/path/to/old/reelbox.jar also runs the ingest rows against a second ingest JVM built
#   from that jar (port 18091), interleaved with the others: a before/after comparison in one run.
# Needs: packaging/target/reelbox.jar (mvn -DskipTests package), node, nginx, curl (installed if missing).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size_mib="${1:-1024}"
runs="${2:-3}"
jar="$here/packaging/target/reelbox.jar"
node_dir="$here/packaging/src/test/node"
[[ -f "$jar" ]] || (cd "$here" && mvn -B -q -DskipTests package)
command -v nginx >/dev/null || { apt-get update -qq && apt-get install -y -qq nginx-light curl >/dev/null; }
[[ -d "$node_dir/node_modules/tus-js-client" ]] || (cd "$node_dir" && npm ci --no-audit --no-fund >/dev/null)

work="$(mktemp -d /tmp/reelbox-upload-bench.XXXXXX)"
chmod 755 "$work" # nginx's workers run as www-data and write into nginx-root/ and nginx-tmp/
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== generating a ${size_mib} MiB source"
src="$work/source.mp4"
{ printf '\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2'
  head -c $((size_mib * 1048576 - 24)) /dev/urandom; } > "$src"
bytes=$(stat -c %s "$src")

echo "== starting nginx (PUT) on 127.0.0.1:18090"
mkdir -p "$work/nginx-root/upload" "$work/nginx-tmp"
chown -R www-data "$work/nginx-root" "$work/nginx-tmp" 2>/dev/null || chmod -R 777 "$work/nginx-root" "$work/nginx-tmp"
cat > "$work/nginx.conf" <<NGINX
user www-data;
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp; fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp; scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:18090;
    location /upload/ {
      root $work/nginx-root;
      dav_methods PUT;
      create_full_put_path on;
      client_max_body_size 0;
      client_body_buffer_size 1m;
    }
  }
}
NGINX
nginx -c "$work/nginx.conf"

echo "== starting control-plane and ingest (separate JVMs)"
secret="bench-secret-bench-secret-bench-secret-0001"
common_env=(REELBOX_CONTROL_PLANE_CLUSTER_SECRET="$secret" REELBOX_INGEST_CLUSTER_SECRET="$secret"
  REELBOX_CONTROL_PLANE_CLUSTER_CONTROL_PLANE_URL=http://127.0.0.1:18080
  REELBOX_INGEST_CLUSTER_CONTROL_PLANE_URL=http://127.0.0.1:18080
  REELBOX_CONTROL_PLANE_INGEST_URL=http://127.0.0.1:18081
  REELBOX_CONTROL_PLANE_HTTP_PORT=18080 REELBOX_INGEST_HTTP_PORT=18081
  REELBOX_CONTROL_PLANE_DATA_DIR="$work/cp" REELBOX_INGEST_DATA_DIR="$work/ingest"
  REELBOX_CONTROL_PLANE_STORAGE_FILE_ROOT="$work/blobs" REELBOX_INGEST_STORAGE_FILE_ROOT="$work/blobs")
env "${common_env[@]}" java -Xmx256m -jar "$jar" run control-plane > "$work/cp.log" 2>&1 &
pids+=($!)
env "${common_env[@]}" java ${INGEST_JAVA_OPTS:--Xmx128m} -jar "$jar" run ingest > "$work/ingest.log" 2>&1 &
ingest_pid=$!
pids+=($ingest_pid)
baseline_jar="${BASELINE_JAR:-}"
if [[ -n $baseline_jar ]]; then
  env "${common_env[@]}" REELBOX_INGEST_HTTP_PORT=18091 REELBOX_INGEST_DATA_DIR="$work/ingest-baseline" \
    java ${INGEST_JAVA_OPTS:--Xmx128m} -jar "$baseline_jar" run ingest > "$work/ingest-baseline.log" 2>&1 &
  pids+=($!)
fi
for _ in $(seq 1 120); do
  grep -q "ingest ready" "$work/ingest.log" && grep -q "control-plane ready" "$work/cp.log" &&
    { [[ -z $baseline_jar ]] || grep -q "ingest ready" "$work/ingest-baseline.log"; } && break
  sleep 0.5
done
api_key="$(grep '^api_key=' "$work/cp/admin-credentials" | cut -d= -f2)"

# Peak RSS of the ingest JVM, sampled every 100 ms.
( peak=0; while kill -0 "$ingest_pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' /proc/$ingest_pid/status 2>/dev/null || echo 0)
    (( rss > peak )) && peak=$rss && echo "$peak" > "$work/rss-peak-kb"
    sleep 0.1; done ) &
pids+=($!)

create_video() { # [ingest port] -> the created video's JSON, its uploadUrl on that ingest
  curl -sf -H "Authorization: Bearer $api_key" -H 'Content-Type: application/json' \
    -d "{\"filename\":\"source.mp4\",\"size\":$bytes,\"contentType\":\"video/mp4\"}" \
    http://127.0.0.1:18080/api/v1/videos | sed "s#127.0.0.1:18081/#127.0.0.1:${1:-18081}/#"
}
await_uploaded() { # videoId: polls until the upload is applied (UPLOADED or later: the control plane
  # starts the transcoding job at once, so the state moves on; the sha256 stays)
  for _ in $(seq 1 600); do
    curl -sf -H "Authorization: Bearer $api_key" "http://127.0.0.1:18080/api/v1/videos/$1" | grep -q '"sha256":"' && return 0
    sleep 0.05
  done
  echo "video $1 never reached UPLOADED" >&2; exit 1
}
now() { date +%s.%N; }
tus_once() { # parallel [ingest port] -> seconds to the last answer; last-uploaded: seconds to UPLOADED
  local created url secs result id t0
  created=$(create_video "${2:-18081}")
  url=$(echo "$created" | sed -E 's/.*"uploadUrl":"([^"]+)".*/\1/')
  id=$(echo "$created" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  sync
  t0=$(now)
  result=$(cd "$node_dir" && node upload.mjs "$url" "$src" --parallel "$1" | tail -1)
  [[ $result == *'"ok":true'* ]] || { echo "tus upload failed: $result" >&2; exit 1; }
  secs=$(echo "$result" | sed -E 's/.*"ms":([0-9]+).*/\1/' | awk '{printf "%.3f", $1/1000}')
  await_uploaded "$id"
  echo "$secs $(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.3f", b-a}')" > "$work/last-uploaded"
  rm -rf "$work/blobs/originals"
  echo "$secs"
}
put_once() {
  local secs
  local out code
  sync
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -T "$src" http://127.0.0.1:18090/upload/source.mp4)
  code=${out%% *}
  if [[ $code != 201 && $code != 204 ]]; then
    echo "nginx PUT failed: HTTP $code (see $work/nginx-error.log)" >&2
    cat "$work/nginx-error.log" >&2
    exit 1
  fi
  [[ $(stat -c %s "$work/nginx-root/upload/source.mp4") == "$bytes" ]] || { echo "nginx stored a short file" >&2; exit 1; }
  rm -f "$work/nginx-root/upload/source.mp4"
  echo "${out#* }"
}
curl_tus_once() { # [ingest port]: the peer's client (curl) speaking tus to ingest: one creation, one PATCH
  local port="${1:-18081}" created url loc out id t0
  created=$(create_video "$port")
  url=$(echo "$created" | sed -E 's/.*"uploadUrl":"([^"]+)".*/\1/')
  id=$(echo "$created" | sed -E 's/.*"id":"([^"]+)".*/\1/')
  loc=$(curl -si -X POST -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $bytes" "$url" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
  sync
  t0=$(now)
  out=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -X PATCH -H 'Tus-Resumable: 1.0.0' -H 'Upload-Offset: 0' \
    -H 'Content-Type: application/offset+octet-stream' -T "$src" "http://127.0.0.1:$port$loc")
  [[ ${out%% *} == 204 ]] || { echo "curl tus PATCH failed: $out" >&2; exit 1; }
  # Wait for the commit (forced, hashed) so that it does not run into the next row's time.
  await_uploaded "$id"
  echo "${out#* } $(awk -v a="$t0" -v b="$(now)" 'BEGIN {printf "%.3f", b-a}')" > "$work/last-uploaded"
  rm -rf "$work/blobs/originals"
  echo "${out#* }"
}
node_put_once() { # tus-js-client's runtime (Node http) doing a plain PUT to nginx
  local out
  sync
  out=$(cd "$node_dir" && node put.mjs http://127.0.0.1:18090/upload/source.mp4 "$src")
  [[ ${out%% *} == 201 || ${out%% *} == 204 ]] || { echo "node PUT failed: $out" >&2; exit 1; }
  rm -f "$work/nginx-root/upload/source.mp4"
  echo "${out#* }"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

declare -A samples
rows=(put nodeput curltus readyc tus1 ready1 tus4 ready4)
declare -A labels=([put]="curl -T → nginx PUT (peer)" [nodeput]="node http PUT → nginx"
  [curltus]="curl tus PATCH → ingest" [readyc]="  curl tus until UPLOADED"
  [tus1]="tus-js-client p1 → ingest" [ready1]="  p1 until UPLOADED (committed)"
  [tus4]="tus-js-client p4 → ingest" [ready4]="  p4 until UPLOADED (committed)")
if [[ -n $baseline_jar ]]; then
  rows+=(b_curltus b_readyc b_tus1 b_ready1 b_tus4 b_ready4)
  for k in curltus readyc tus1 ready1 tus4 ready4; do labels[b_$k]="${labels[$k]/→ ingest/→ ingest (baseline)}"; done
  labels[b_readyc]="  baseline curl tus until UPLOADED"; labels[b_ready1]="  baseline p1 until UPLOADED"
  labels[b_ready4]="  baseline p4 until UPLOADED"
fi
for i in $(seq 1 "$runs"); do
  samples[put]+="$(put_once) "
  samples[nodeput]+="$(node_put_once) "
  for p in "" b_; do
    [[ -z $p || -n $baseline_jar ]] || continue
    port=18081; [[ -n $p ]] && port=18091
    samples[${p}curltus]+="$(curl_tus_once $port) "
    samples[${p}readyc]+="$(cut -d' ' -f2 "$work/last-uploaded") "
    samples[${p}tus1]+="$(tus_once 1 $port) "
    samples[${p}ready1]+="$(cut -d' ' -f2 "$work/last-uploaded") "
    samples[${p}tus4]+="$(tus_once 4 $port) "
    samples[${p}ready4]+="$(cut -d' ' -f2 "$work/last-uploaded") "
  done
  echo "run $i/$runs done"
done

mib=$(awk -v b="$bytes" 'BEGIN {printf "%.0f", b/1048576}')
echo
echo "== upload ${mib} MiB over loopback, median of $runs runs ($(nproc) cores)"
med() { echo "${samples[$1]}" | tr ' ' '\n' | grep . | median; }
put_s=$(med put)
node_s=$(med nodeput)
printf '%-38s %8s %10s %8s %10s\n' "client → server" "seconds" "MB/s" "× nginx" "× node PUT"
for k in "${rows[@]}"; do
  s=$(med "$k")
  # tus-js-client runs on Node: its same-client peer is Node's own PUT into nginx.
  peer=""; [[ $k == *tus1 || $k == *tus4 ]] && peer="$node_s"
  awk -v l="${labels[$k]}" -v s="$s" -v b="$bytes" -v p="$put_s" -v n="$peer" \
    'BEGIN {printf "%-38s %8.2f %10.1f %8.2f", l, s, b/s/1e6, p/s; if (n != "") printf " %10.2f", n/s; printf "\n"}'
done
for k in "${rows[@]}"; do echo "samples $k (s): ${samples[$k]}"; done
peak_kb=$(cat "$work/rss-peak-kb" 2>/dev/null || echo 0)
echo "ingest peak RSS: $((peak_kb / 1024)) MB (JVM options: ${INGEST_JAVA_OPTS:--Xmx128m}; goal < 300 MB)"
