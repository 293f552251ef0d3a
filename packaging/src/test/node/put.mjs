// A plain HTTP PUT of one file from Node: the benchmark's same-runtime peer for tus-js-client.
// Usage: node put.mjs URL FILE   (prints "STATUS SECONDS")
import fs from 'node:fs';
import http from 'node:http';

const [url, file] = process.argv.slice(2);
const size = fs.statSync(file).size;
const started = Date.now();
const req = http.request(url, { method: 'PUT', headers: { 'Content-Length': size } }, (res) => {
  res.resume();
  res.on('end', () => console.log(`${res.statusCode} ${(Date.now() - started) / 1000}`));
});
req.on('error', (e) => {
  console.log(`0 ${e}`);
  process.exit(1);
});
fs.createReadStream(file).pipe(req);
