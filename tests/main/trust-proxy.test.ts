// TRUST_PROXY: behind a reverse proxy, the client's address comes from X-Forwarded-For, so the web chat's
// per-address token rate limit applies per citizen, not once for everyone behind the proxy; unset, the
// header is ignored (a client cannot pick its own address). Also its parsing at start.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createHttpApp } from '../../src/main.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

async function tokenStatuses(plaza: TestPlaza, forwardedFor: string[]): Promise<number[]> {
  const server = createHttpApp(plaza).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const statuses: number[] = [];
    for (const address of forwardedFor) {
      const res = await fetch(`http://127.0.0.1:${port}/v3/directline/tokens/generate`, {
        method: 'POST',
        headers: { 'X-Forwarded-For': address },
      });
      statuses.push(res.status);
    }
    return statuses;
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('TRUST_PROXY', () => {
  let behindProxy: TestPlaza;
  let direct: TestPlaza;
  beforeAll(async () => {
    behindProxy = await createTestPlaza({ TRUST_PROXY: 'loopback', WEBCHAT_TOKENS_PER_MINUTE: '2' });
    direct = await createTestPlaza({ WEBCHAT_TOKENS_PER_MINUTE: '2' });
  });
  afterAll(async () => {
    await behindProxy?.cleanup();
    await direct?.cleanup();
  });

  it('set: each forwarded client address has its own rate limit', async () => {
    const citizens = ['203.0.113.1', '203.0.113.2', '203.0.113.3'];
    expect(await tokenStatuses(behindProxy, [...citizens, ...citizens])).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    expect(await tokenStatuses(behindProxy, ['203.0.113.1'])).toEqual([429]);
  });

  it('unset: X-Forwarded-For is ignored, the socket address is limited', async () => {
    expect(await tokenStatuses(direct, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([
      200, 200, 429,
    ]);
  });

  it('parses hops, named ranges, addresses and CIDR lists; refuses true and anything else', () => {
    const parse = (TRUST_PROXY: string) => loadConfig({ TRUST_PROXY }).TRUST_PROXY;
    expect(parse('')).toBeUndefined();
    expect(parse('2')).toBe(2);
    expect(parse('loopback, 10.0.0.0/8, fd00::/8, 192.168.1.7')).toBe(
      'loopback, 10.0.0.0/8, fd00::/8, 192.168.1.7',
    );
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/1', 'loopback,,'])
      expect(() => parse(bad), bad).toThrow(/TRUST_PROXY/);
  });
});
