#!/usr/bin/env bash
# Refreshes the vendored browser libraries of the web UI (see web/static/vendor/VENDOR.md).
# Usage: control-plane/src/main/web-vendor.sh HLS_VERSION TUS_VERSION   (needs npm and network)
set -euo pipefail
hls="${1:?hls.js version}"; tus="${2:?tus-js-client version}"
dir="$(cd "$(dirname "$0")" && pwd)/resources/web/static/vendor"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "hls.js@$hls" "tus-js-client@$tus" --silent >/dev/null)
mkdir -p "$tmp/h" "$tmp/t"
tar xzf "$tmp/hls.js-$hls.tgz" -C "$tmp/h"; tar xzf "$tmp/tus-js-client-$tus.tgz" -C "$tmp/t"
cp "$tmp/h/package/dist/hls.min.js" "$dir/hls.min.js"; cp "$tmp/h/package/LICENSE" "$dir/LICENSE-hls.js.txt"
cp "$tmp/t/package/dist/tus.min.js" "$dir/tus.min.js"; cp "$tmp/t/package/LICENSE" "$dir/LICENSE-tus-js-client.txt"
sh_hls="$(sha256sum "$dir/hls.min.js" | cut -d' ' -f1)"; sh_tus="$(sha256sum "$dir/tus.min.js" | cut -d' ' -f1)"
sed -i -E "s/^\| hls.min.js \|.*/| hls.min.js | hls.js | $hls | Apache-2.0 (LICENSE-hls.js.txt) | $sh_hls |/; s/^\| tus.min.js \|.*/| tus.min.js | tus-js-client | $tus | MIT (LICENSE-tus-js-client.txt) | $sh_tus |/" "$dir/VENDOR.md"
echo "hls.js $hls $sh_hls"; echo "tus-js-client $tus $sh_tus"
