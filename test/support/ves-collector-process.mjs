// A VES collector as a separate process, for tests that need a real, independent HTTP
// collector (test/support/ves-collector-process.ts starts it and reads it).
//
// Plain Node, no loader: `node ves-collector-process.mjs`. Environment: VES_USERNAME and
// VES_PASSWORD (basic auth is required when VES_USERNAME is set). It listens on
// 127.0.0.1 on a free port and writes one JSON line per fact on stdout:
//   {"type":"listening","port":N}
//   {"type":"event","receivedAt":<Date.now()>,"path":"/eventListener/v7[/eventBatch]","batch":bool,"event":{…}}
//   {"type":"refused","status":401|400|404,"path":…}
// It accepts POST /eventListener/v7 ({"event": …}) and /eventListener/v7/eventBatch
// ({"eventList": […]}) with 202, and exits on SIGTERM/SIGINT or when stdin closes (so a
// crashed parent never leaves it behind).
import { createServer } from 'node:http';

const username = process.env.VES_USERNAME ?? '';
const password = process.env.VES_PASSWORD ?? '';
const expected = username === '' ? null : `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const PATHS = new Set(['/eventListener/v7', '/eventListener/v7/eventBatch']);

const emit = (fact) => process.stdout.write(`${JSON.stringify(fact)}\n`);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '').split('?')[0];
    const refuse = (status) => {
      emit({ type: 'refused', status, path });
      res.writeHead(status).end();
    };
    if (expected !== null && req.headers.authorization !== expected) return refuse(401);
    if (req.method !== 'POST' || !PATHS.has(path)) return refuse(404);
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return refuse(400);
    }
    const batch = path.endsWith('/eventBatch');
    const list = batch ? body?.eventList : body?.event ? [body.event] : undefined;
    if (!Array.isArray(list)) return refuse(400);
    const receivedAt = Date.now();
    for (const event of list) emit({ type: 'event', receivedAt, path, batch, event });
    res.writeHead(202).end();
  });
});
server.keepAliveTimeout = 1000;

const shutdown = () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();

server.listen(0, '127.0.0.1', () => emit({ type: 'listening', port: server.address().port }));
