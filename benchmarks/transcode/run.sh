#!/usr/bin/env bash
# Transcode benchmark (issue 4): a 60 s 1280x720 30 fps H.264/AAC source into a 3-rung HLS ladder
# (720p 3 Mbit/s High 3.1, 480p 1.4 Mbit/s Main 3.1, 360p 800 kbit/s Main 3.0; AAC 128k; 4 s
# segments; libx264 veryfast), on this machine, in the same run:
#   peer:    ONE ffmpeg command (decode once, split=3, three x264 encodes, -f hls with var_stream_map)
#   reelbox: `reelbox run all` (fresh data dir, free loopback ports), `reelbox upload --renditions`,
#            timed from UPLOADED (the upload is not transcoding) to READY, and to the first moment
#            the origin serves a master playlist whose renditions play (early publishing).
# Both sides get the same x264 options as the profile's encode node (preset, bitrate, maxrate 1.5×,
# bufsize 2×, profile/level, -sc_threshold 0, closed GOPs, a keyframe every segment, lanczos scale).
#
# The source is ffmpeg's testsrc2 pattern with temporal noise (noise=alls=10:allf=t) over it, so
# that x264 has real work on every frame (a clean testsrc2 compresses to almost nothing), and a
# 440 Hz tone with noise as stereo audio. It is generated once per invocation, not timed.
#
# Besides wall time, each side's CPU time (user + system, children included) is printed: on a shared
# machine it says how much work each side did, whatever share of the cores it got.
#
# Usage: benchmarks/transcode/run.sh [RUNS=3]
#   VARIANTS="NAME=ENV[,ENV…] …" runs reelbox once per variant in every run, each its own row, e.g.
#     VARIANTS="default= x264auto=REELBOX_ENCODER_ENCODE_THREADS=-1 slots1=REELBOX_ENCODER_SLOTS=1"
#     VARIANTS="fused= unfused=REELBOX_ENCODER_FUSE_LIMIT=1" (one decode per chunk and rendition)
#     (default: one variant, "reelbox", with the shipped configuration). JAR=/path/reelbox.jar in a
#     variant runs that build instead: a before/after comparison in one run.
#   KEEP=1 keeps the work directory (logs, outputs) and prints where it is.
# Needs: packaging/target/reelbox.jar (mvn -B -DskipTests package), ffmpeg, curl, GNU time (/usr/bin/time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs="${1:-3}"
jar="$here/packaging/target/reelbox.jar"
[[ -f "$jar" ]] || (cd "$here" && mvn -B -q -DskipTests package)
command -v ffmpeg >/dev/null || { echo "ffmpeg is needed" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

work="$(mktemp -d /tmp/reelbox-transcode-bench.XXXXXX)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n ${KEEP:-} ]]; then echo "work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
now() { echo "$EPOCHREALTIME"; }
mkfifo "$work/sleep.fifo"
exec {sleep_fd}<>"$work/sleep.fifo" # nothing is ever written: a read on it times out
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== generating the 60 s 1280x720 30 fps source (testsrc2 + temporal noise, H.264 8 Mbit/s, AAC)"
src="$work/source.mp4"
ffmpeg -nostdin -hide_banner -v error \
  -f lavfi -i "testsrc2=s=1280x720:r=30:d=60,noise=alls=10:allf=t" \
  -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=60" \
  -filter_complex "[1:a]aformat=channel_layouts=stereo[a]" -map 0:v -map "[a]" \
  -c:v libx264 -preset veryfast -b:v 8M -maxrate 8M -bufsize 16M -g 60 -keyint_min 60 \
  -sc_threshold 0 -pix_fmt yuv420p -c:a aac -b:a 192k -movflags +faststart "$src"
echo "   $(stat -c %s "$src") bytes"

# The ladder of the default profile for a 1280x720 30 fps source (control-plane golden plan
# default-720p30-8chunks): name width height bitrate profile level.
ladder=("720p 1280 720 3000000 high 3.1" "480p 854 480 1400000 main 3.1" "360p 640 360 800000 main 3.0")
segment_seconds=4

peer_once() { # -> seconds; the ladder under $work/peer
  local out="$work/peer" graph="[0:v:0]split=3[s0][s1][s2]" maps=() opts=() i=0 vsm=""
  rm -rf "$out"
  mkdir -p "$out"
  for rung in "${ladder[@]}"; do
    read -r name w h bps profile level <<<"$rung"
    graph+=";[s$i]scale=$w:$h:flags=lanczos,setsar=1[v$i]"
    maps+=(-map "[v$i]")
    opts+=(-b:v:$i "$bps" -maxrate:v:$i $((bps * 3 / 2)) -bufsize:v:$i $((bps * 2))
      -profile:v:$i "$profile" -level:v:$i "$level")
    vsm+="v:$i,a:$i,name:$name "
    i=$((i + 1))
  done
  for _ in "${ladder[@]}"; do maps+=(-map 0:a:0); done
  # Same x264 settings as the encode task (FfmpegBackend.encodeCommand): GOP > 2 segments so that
  # only the forced keyframes (one per segment) start GOPs.
  /usr/bin/time -o "$work/peer.time" -f "%e %U %S" \
    ffmpeg -nostdin -hide_banner -v error -i "$src" -filter_complex "$graph" "${maps[@]}" \
    -c:v libx264 -preset veryfast -sc_threshold 0 -forced-idr 1 -flags +cgop \
    -g $((30 * segment_seconds * 2 + 1)) -force_key_frames "expr:gte(t,n_forced*$segment_seconds)" \
    "${opts[@]}" -c:a aac -profile:a aac_low -b:a 128k -ac 2 -ar 48000 \
    -f hls -hls_time "$segment_seconds" -hls_playlist_type vod -hls_segment_type mpegts \
    -hls_flags independent_segments -master_pl_name master.m3u8 \
    -hls_segment_filename "$out/%v/%d.ts" -var_stream_map "${vsm% }" "$out/%v/index.m3u8"
  awk '{printf "%.3f %.1f", $1, $2 + $3}' "$work/peer.time"
}

proc_cpu() { # PID -> CPU seconds of the process and its waited-for children (utime+stime+cutime+cstime)
  awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f", ($12+$13+$14+$15)/hz}' "/proc/$1/stat"
}

http_get() { # port path [api key] -> body on stdout, fails unless 200; bash's /dev/tcp, no process
  local fd line status body="" auth=""
  [[ -n ${3:-} ]] && auth="Authorization: Bearer $3"$'\r\n'
  exec {fd}<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n' "$2" "$auth" >&$fd
  IFS= read -r status <&$fd || { exec {fd}>&-; return 1; }
  while IFS= read -r line <&$fd && [[ $line != $'\r' ]]; do :; done
  while IFS= read -r line <&$fd || [[ -n $line ]]; do body+="$line"$'\n'; done
  exec {fd}>&-
  [[ $status == *" 200 "* ]] || return 1
  printf '%s' "$body"
}

bitrate() { # DIR/NAME -> bits per second: segment bytes × 8 / the playlist's total EXTINF
  local dir="$1" bytes secs
  bytes=$(cat "$dir"/*.ts | wc -c)
  secs=$(grep -o '^#EXTINF:[0-9.]*' "$dir/index.m3u8" | cut -d: -f2 | awk '{s+=$1} END {print s}')
  awk -v b="$bytes" -v s="$secs" 'BEGIN {printf "%.0f", b*8/s}'
}

free_base() { # a base port with five free ports from it
  local base
  for _ in $(seq 1 50); do
    base=$((20000 + RANDOM % 20000))
    if ! (ss -ltn 2>/dev/null | awk '{print $4}' | grep -Eq ":($base|$((base + 1))|$((base + 2))|$((base + 3))|$((base + 4)))$"); then
      echo "$base"; return
    fi
  done
  echo "no free ports" >&2; exit 1
}

reelbox_once() { # dir envs -> "ready_s playable_s cpu_s"; the ladder under DIR/data/blobs/hls/ID
  local dir="$1" envs="$2" base cp origin key id state t_up="" t_play="" t_ready="" log c_up="" c_ready=""
  base=$(free_base)
  mkdir -p "$dir"
  log="$dir/reelbox.log"
  local use_jar="$jar" e kept=()
  for e in ${envs//,/ }; do
    if [[ $e == JAR=* ]]; then use_jar=${e#JAR=}; else kept+=("$e"); fi
  done
  env "${kept[@]}" java ${REELBOX_JAVA_OPTS:-} -jar "$use_jar" run all --data "$dir/data" --base-port "$base" >"$log" 2>&1 &
  local pid=$! # env execs java: the same process
  pids+=($pid)
  cp="http://127.0.0.1:$base"
  origin="http://127.0.0.1:$((base + 2))"
  for _ in $(seq 1 240); do
    curl -sf "$cp/readyz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$((base + 4))/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  sleep 1 # the encoder registers with its first claim
  key="$(grep '^api_key=' "$dir/data/admin-credentials" | cut -d= -f2)"
  java -jar "$jar" upload "$src" --data "$dir/data" --renditions 720p,480p,360p >"$dir/upload.out" 2>"$dir/upload.err" &
  local upid=$!
  for _ in $(seq 1 600); do
    id=$(sed -nE 's/^video ([^:]+): uploading.*/\1/p' "$dir/upload.out" | head -1)
    [[ -n $id ]] && break
    sleep 0.05
  done
  [[ -n $id ]] || { echo "reelbox upload printed no video id: $(cat "$dir/upload.err")" >&2; exit 1; }
  # Poll every 100 ms: the video's state, and (once UPLOADED) whether the origin serves a master
  # playlist with a rendition whose media playlist is complete and whose first segment is there.
  # Bash's /dev/tcp and builtins only: a curl per poll would cost reelbox ~0.1 core of CPU.
  local deadline=$((SECONDS + 1800)) t json
  while ((SECONDS < deadline)); do
    json=$(http_get "$base" "/api/v1/videos/$id" "$key") || json=""
    t=$EPOCHREALTIME
    state=""
    [[ $json =~ \"state\":\"([A-Z]+)\" ]] && state=${BASH_REMATCH[1]}
    case "$state" in
      UPLOADED | PROCESSING | READY) [[ -n $t_up ]] || { t_up=$t; c_up=$(proc_cpu "$pid"); } ;;
      FAILED) echo "reelbox: video $id FAILED (log: $log)" >&2; KEEP=1; exit 1 ;;
    esac
    if [[ -n $t_up && -z $t_play ]] && playable "$((base + 2))" "$id"; then t_play=$EPOCHREALTIME; fi
    if [[ $state == READY ]]; then
      [[ -n $t_ready ]] || { t_ready=$t; c_ready=$(proc_cpu "$pid"); }
      [[ -n $t_play ]] && break
    fi
    read -rt 0.1 -u "$sleep_fd" || true # sleeps 0.1 s without a process
  done
  [[ -n $t_ready ]] || { echo "reelbox: video $id not READY in time (log: $log)" >&2; KEEP=1; exit 1; }
  wait "$upid" || true
  echo "$id" >"$dir/id"
  # Where the time went: the tasks API (per-task start/finish), kept for the summary.
  curl -sf -H "Authorization: Bearer $key" "$cp/api/v1/videos/$id/tasks" >"$dir/tasks.json" || true
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  awk -v u="$t_up" -v r="$t_ready" -v p="$t_play" -v a="$c_up" -v b="$c_ready" \
    'BEGIN {printf "%.3f %.3f %.1f", r-u, p-u, b-a}'
}

playable() { # origin-port id: master 200, its first variant's playlist complete, segment 0 there
  local master variant line
  master=$(http_get "$1" "/v/$2/master.m3u8") || return 1
  variant=""
  while IFS= read -r line; do
    [[ $line == *index.m3u8 && $line != \#* ]] && { variant=$line; break; }
  done <<<"$master"
  [[ -n $variant ]] || return 1
  [[ $(http_get "$1" "/v/$2/$variant") == *'#EXT-X-ENDLIST'* ]] || return 1
  http_get "$1" "/v/$2/${variant%index.m3u8}0.ts" >/dev/null
}

task_summary() { # tasks.json -> per type: count, summed seconds, and the job's span
  python3 - "$1" <<'PY' 2>/dev/null || true
import json, sys
from datetime import datetime
def t(s): return datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
d = json.load(open(sys.argv[1]))
tasks = d.get("tasks", d) if isinstance(d, dict) else d
by = {}
first, last = None, None
for x in tasks:
    if not x.get("startedAt") or not x.get("finishedAt"):
        continue
    a, b = t(x["startedAt"]), t(x["finishedAt"])
    first = a if first is None else min(first, a)
    last = b if last is None else max(last, b)
    k = x["type"] + ("/" + x["id"].split("/")[-1] if x["type"] == "encode" else "")
    c, s = by.get(k, (0, 0.0))
    by[k] = (c + 1, s + b - a)
print("  tasks: " + ", ".join(f"{k} {c}× {s:.1f}s" for k, (c, s) in sorted(by.items())) +
      (f"; first start → last finish {last - first:.1f}s" if first else ""))
PY
}

# What decoding the source once costs: the one command decodes it once; reelbox decodes each chunk
# once for the preview (the cheapest rendition, encoded alone to be published early) and once for
# the fused group of the other renditions (once per rendition with REELBOX_ENCODER_FUSE_LIMIT=1).
/usr/bin/time -o "$work/decode.time" -f "%e %U %S" \
  ffmpeg -nostdin -hide_banner -v error -i "$src" -map 0:v:0 -f null -
decode_cpu=$(awk '{printf "%.1f", $2 + $3}' "$work/decode.time")
echo "   decoding its video once: $decode_cpu CPU s"

read -ra variants <<<"${VARIANTS:-reelbox=}"
declare -A samples
for i in $(seq 1 "$runs"); do
  read -r secs cpu <<<"$(peer_once)"
  samples[peer]+="$secs "
  samples[peer_cpu]+="$cpu "
  line="run $i/$runs: ffmpeg ${secs}s (${cpu} CPU s)"
  for v in "${variants[@]}"; do
    name=${v%%=*}
    dir="$work/rb-$i-$name"
    read -r ready play cpu <<<"$(reelbox_once "$dir" "${v#*=}")"
    samples[$name]+="$ready "
    samples[${name}_play]+="$play "
    samples[${name}_cpu]+="$cpu "
    id=$(cat "$dir/id")
    for rung in "${ladder[@]}"; do
      read -r rname _ <<<"$rung"
      [[ $v == "${variants[0]}" ]] && samples[peer_$rname]+="$(bitrate "$work/peer/$rname") "
      samples[${name}_$rname]+="$(bitrate "$dir/data/blobs/hls/$id/$rname") "
    done
    line+="; $name ready ${ready}s, first playable ${play}s (${cpu} CPU s)"
    echo "  $name $(task_summary "$dir/tasks.json")"
    [[ -n ${KEEP:-} ]] || rm -rf "$dir/data/blobs"
  done
  echo "$line (load $(cut -d' ' -f1-3 /proc/loadavg))"
done

med() { echo "${samples[$1]}" | tr ' ' '\n' | grep . | median; }
peer_s=$(med peer)
peer_cpu=$(med peer_cpu)
echo
echo "== 60 s 720p30 → 720p/480p/360p HLS, libx264 veryfast, median of $runs runs ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   (decoding the source's video once: $decode_cpu CPU s; reelbox decodes it twice: preview + fused group)"
printf '%-46s %8s %8s %9s %9s\n' "" "wall s" "× ffmpeg" "CPU s" "× ffmpeg"
printf '%-46s %8.2f %8s %9.1f %9s\n' "ffmpeg, one command (peer)" "$peer_s" "1.00" "$peer_cpu" "1.00"
for v in "${variants[@]}"; do
  name=${v%%=*}
  s_ready=$(med "$name"); s_play=$(med "${name}_play"); s_cpu=$(med "${name}_cpu")
  awk -v l="$name: UPLOADED → READY (${v#*=})" -v s="$s_ready" -v p="$peer_s" -v c="$s_cpu" -v pc="$peer_cpu" \
    'BEGIN {printf "%-46s %8.2f %8.2f %9.1f %9.2f  (goal wall ≤ 1.00)\n", l, s, s/p, c, c/pc}'
  awk -v l="$name: UPLOADED → first playable" -v s="$s_play" -v r="$s_ready" \
    'BEGIN {printf "%-46s %8.2f %8s %9s %9s  (× READY: %.2f, goal ≤ 0.30)\n", l, s, "", "", "", s/r}'
done
printf '%-46s %8s %8s %9s\n' "bitrate (segment bytes × 8 / duration), kbit/s" "ffmpeg" "" "ratio"
for v in "${variants[@]}"; do
  name=${v%%=*}
  for rung in "${ladder[@]}"; do
    read -r rname _ <<<"$rung"
    awk -v n="$name $rname" -v a="$(med "peer_$rname")" -v b="$(med "${name}_$rname")" \
      'BEGIN {printf "  %-44s %8.0f %8.0f %9.3f  (goal 0.98–1.02)\n", n, a/1000, b/1000, b/a}'
  done
done
for k in "${!samples[@]}"; do echo "samples $k: ${samples[$k]}"; done | sort
