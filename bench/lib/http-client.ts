// A small keep-alive HTTP/1.1 client for the benchmarks: one shared agent, JSON in and out, the latency of
// each request measured from the call until the whole answer has been read.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Answer {
  status: number;
  text: string;
  /** Milliseconds from the request being issued to the last byte of the answer. */
  ms: number;
}

export class HttpClient {
  readonly agent: http.Agent;

  constructor(
    readonly host: string,
    readonly port: number,
    maxSockets = 256,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  /** Never rejects for an HTTP status; rejects only when the connection itself fails. */
  request(method: string, path: string, opts: { token?: string; json?: unknown } = {}): Promise<Answer> {
    const body = opts.json === undefined ? undefined : JSON.stringify(opts.json);
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.host, port: this.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
