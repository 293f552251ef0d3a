// Uploads one file with the unmodified tus-js-client, as a browser or a Node app would.
// Usage: node upload.mjs ENDPOINT FILE [--parallel N] [--chunk-size BYTES] [--retries N]
// Prints one JSON line: {"ok":true,"url":...,"bytes":...,"ms":...,"retries":...} or {"ok":false,...}.
import fs from 'node:fs';
import * as tus from 'tus-js-client';

const [endpoint, file, ...rest] = process.argv.slice(2);
if (!endpoint || !file) {
  console.error('usage: node upload.mjs ENDPOINT FILE [--parallel N] [--chunk-size BYTES] [--retries N]');
  process.exit(2);
}
const opt = (name, dflt) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const parallel = opt('--parallel', 1);
const chunkSize = opt('--chunk-size', Infinity);
const retries = opt('--retries', 10);
const size = fs.statSync(file).size;
const started = Date.now();
let retryCount = 0;

const upload = new tus.Upload(fs.createReadStream(file), {
  endpoint,
  // tus-js-client refuses uploadSize with parallelUploads; it stats the file path itself then.
  ...(parallel > 1 ? {} : { uploadSize: size }),
  parallelUploads: parallel,
  chunkSize,
  // Short delays: the fault tests reset connections on purpose and want quick resumes.
  retryDelays: Array.from({ length: retries }, (_, i) => Math.min(100 * 2 ** i, 2000)),
  metadata: { filename: file.split('/').pop(), filetype: 'video/mp4' },
  // tus-js-client's own rule: retry network errors, 409, 423 and 5xx; never other 4xx.
  onShouldRetry: (err) => {
    const status = err.originalResponse ? err.originalResponse.getStatus() : 0;
    const retry = status === 0 || status === 409 || status === 423 || status >= 500;
    if (retry) retryCount++;
    return retry;
  },
  onError: (err) => {
    console.log(JSON.stringify({ ok: false, error: String(err), retries: retryCount }));
    process.exit(1);
  },
  onSuccess: () => {
    console.log(JSON.stringify({ ok: true, url: upload.url, bytes: size, ms: Date.now() - started, retries: retryCount }));
    process.exit(0);
  },
});
upload.start();
