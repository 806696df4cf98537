// The ceiling for bench/door.ts: a bare node:http receiver doing the same signature check LawDesk's door does
// (sha256 of timestamp + nonce + encrypt key + body, ±5 min) and nothing else. Its own process, like LawDesk's.
//   node bench/bare-receiver.mjs PORT ENCRYPT_KEY
import { createHash } from 'node:crypto';
import http from 'node:http';

const [port, encryptKey] = process.argv.slice(2);
http
  .createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const timestamp = String(req.headers['x-lark-request-timestamp'] ?? '');
      const nonce = String(req.headers['x-lark-request-nonce'] ?? '');
      const expected = createHash('sha256')
        .update(timestamp + nonce + encryptKey + body)
        .digest('hex');
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) <= 300;
      const ok = fresh && expected === req.headers['x-lark-signature'];
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{}' : '{"error":"signature"}');
    });
  })
  .listen(Number(port), '127.0.0.1', () => console.log('ready'));
