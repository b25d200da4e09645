// Child process: the ceiling. A bare express 5 app with one POST route that parses a JSON body and answers
// `{ id }` — the same route shape, body and headers as a Direct Line activity POST, with no work behind it.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { resourceSnapshot, serveIpc } from './child.ts';

export interface BaselineReady {
  type: 'ready';
  port: number;
}

const app = express();
app.post('/v3/directline/conversations/:id/activities', express.json({ limit: '64kb' }), (req, res) => {
  res.json({ id: `${req.params.id}|${randomUUID()}` });
});
const server = app.listen(0, '127.0.0.1', () => {
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  serveIpc({ resources: () => resourceSnapshot() }, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const ready: BaselineReady = { type: 'ready', port };
  process.send?.(ready);
});
