// Child process: the ceiling. A bare node:http server that reads each request's body and answers 200 `{}`,
// as a webhook that does nothing would; the load generator sends it the same POSTs it sends Plaza.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resourceSnapshot, serveIpc } from './child.ts';

export interface CeilingReady {
  type: 'ready';
  port: number;
}

const server = createServer((req, res) => {
  req.on('data', () => undefined);
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  serveIpc({ resources: () => resourceSnapshot() }, async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const ready: CeilingReady = { type: 'ready', port };
  process.send?.(ready);
});
