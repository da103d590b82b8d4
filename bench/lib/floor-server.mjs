// The floor for "start to first paint": plain Node serving one static page that already
// holds a "Version" label. Prints its address like the preview does.
import http from 'node:http';

const page = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><nav aria-label="Main"><p aria-label="Version">Gaia</p></nav></body></html>';
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(page);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`Open: http://127.0.0.1:${server.address().port}/\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
