import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateConflictError, TurnGate, TurnLockTimeoutError } from '../../src/engine/turn-gate.ts';
import { connectRedis, type Redis } from '../../src/redis/client.ts';
import { deleteKeys, REDIS_URL } from '../support/plaza.ts';

let redisA: Redis;
let redisB: Redis;
const prefix = `plazatest-${randomBytes(4).toString('hex')}`;
beforeAll(async () => {
  redisA = await connectRedis({ url: REDIS_URL });
  redisB = await connectRedis({ url: REDIS_URL });
});
afterAll(async () => {
  await deleteKeys({ redis: redisA }, `${prefix}:*`);
  await redisA.quit();
  await redisB.quit();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('TurnGate', () => {
  it('runs turns of one conversation one at a time, across two "processes", in arrival order per process', async () => {
    // Two lock instances on two connections stand for two server processes.
    const a = new TurnGate(redisA, { prefix });
    const b = new TurnGate(redisB, { prefix });
    let inside = 0;
    let maxInside = 0;
    const order: string[] = [];
    const turn = (lock: TurnGate, name: string) =>
      lock.run({ conversationKey: 'conv-1' }, async () => {
        inside++;
        maxInside = Math.max(maxInside, inside);
        await sleep(5);
        order.push(name);
        inside--;
        return [];
      });
    await Promise.all([
      ...Array.from({ length: 10 }, (_, i) => turn(a, `a${i}`)),
      ...Array.from({ length: 10 }, (_, i) => turn(b, `b${i}`)),
    ]);
    expect(maxInside).toBe(1);
    expect(order).toHaveLength(20);
    expect(order.filter((n) => n.startsWith('a'))).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
    expect(order.filter((n) => n.startsWith('b'))).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
  });

  it('does not block other conversations', async () => {
    const lock = new TurnGate(redisA, { prefix });
    let slowDone = false;
    const slow = lock.run({ conversationKey: 'conv-slow' }, async () => {
      await sleep(200);
      slowDone = true;
      return [];
    });
    await lock.run({ conversationKey: 'conv-fast' }, async () => []);
    expect(slowDone).toBe(false);
    await slow;
  });

  it("frees a crashed process's lock when its lease expires, and times out a waiter before that", async () => {
    await redisA.set(`${prefix}:lock:conv-crashed`, 'dead-process', {
      expiration: { type: 'PX', value: 300 },
    });
    const impatient = new TurnGate(redisB, { prefix, waitMs: 50 });
    await expect(impatient.run({ conversationKey: 'conv-crashed' }, async () => [])).rejects.toBeInstanceOf(
      TurnLockTimeoutError,
    );
    const patient = new TurnGate(redisB, { prefix, waitMs: 2000 });
    await expect(
      patient.run({ conversationKey: 'conv-crashed' }, async () => [{ text: 'ran' }]),
    ).resolves.toEqual([{ text: 'ran' }]);
  });

  it('releases the lock when the turn throws', async () => {
    const lock = new TurnGate(redisA, { prefix });
    await expect(
      lock.run({ conversationKey: 'conv-throws', activityKey: 'act-1' }, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await redisA.exists(`${prefix}:lock:conv-throws`)).toBe(0);
    // A failed turn is not recorded as processed: the retry runs.
    await expect(
      lock.run({ conversationKey: 'conv-throws', activityKey: 'act-1' }, async () => [{ text: 'next' }]),
    ).resolves.toEqual([{ text: 'next' }]);
  });

  it('answers a sender over the flood limit without running or locking, counting each message once', async () => {
    const gate = new TurnGate(redisA, { prefix, flood: { max: 2, windowSeconds: 10 } });
    const ran: number[] = [];
    const send = (i: number) =>
      gate.run(
        { conversationKey: 'conv-f', senderKey: 'web:flooder' },
        async () => (ran.push(i), [{ text: `${i}` }]),
        () => [{ text: 'slow down' }],
      );
    expect(await Promise.all([send(1), send(2), send(3)])).toEqual([
      [{ text: '1' }],
      [{ text: '2' }],
      [{ text: 'slow down' }],
    ]);
    expect(ran).toEqual([1, 2]);
    expect(await redisA.exists(`${prefix}:lock:conv-f`)).toBe(0);
  });

  it('answers only the first message over the flood limit in a window, with the stored state; drops the rest', async () => {
    const gate = new TurnGate(redisA, { prefix, flood: { max: 2, windowSeconds: 3600 } });
    const stateKey = `${prefix}:state:conv-g`;
    await redisA.set(stateKey, 'e1 {"profile":{"locale":"en"}}');
    const ran: number[] = [];
    const floods: (string | undefined)[] = [];
    const send = (i: number) =>
      gate.run(
        { conversationKey: 'conv-g', senderKey: 'web:burst', stateKey },
        async () => (ran.push(i), [{ text: `${i}` }]),
        (stored) => (floods.push(stored), [{ text: 'slow down' }]),
      );
    const answers = [];
    for (let i = 1; i <= 8; i++) answers.push(await send(i));
    expect(answers).toEqual([[{ text: '1' }], [{ text: '2' }], [{ text: 'slow down' }], [], [], [], [], []]);
    expect(ran).toEqual([1, 2]);
    expect(floods).toEqual(['e1 {"profile":{"locale":"en"}}']);
    expect(await redisA.exists(`${prefix}:lock:conv-g`)).toBe(0);
  });

  it('runs an activity id once; repeats (also from another process) get the recorded replies', async () => {
    const a = new TurnGate(redisA, { prefix });
    const b = new TurnGate(redisB, { prefix });
    let runs = 0;
    const turn = async () => {
      runs++;
      await sleep(20);
      return [{ type: 'message', text: `run ${runs}` }];
    };
    const results = await Promise.all([
      a.run({ conversationKey: 'conv-d', activityKey: 'act-d' }, turn),
      b.run({ conversationKey: 'conv-d', activityKey: 'act-d' }, turn),
      a.run({ conversationKey: 'conv-d', activityKey: 'act-d' }, turn),
    ]);
    expect(runs).toBe(1);
    for (const r of results) expect(r).toEqual([{ type: 'message', text: 'run 1' }]);
    expect(await a.run({ conversationKey: 'conv-d', activityKey: 'act-e' }, turn)).toEqual([
      { type: 'message', text: 'run 2' },
    ]);
  });

  it('hands the turn the stored state read with the lock, and writes what it saved with the release', async () => {
    const gate = new TurnGate(redisA, { prefix });
    const key = `${prefix}:state:conv-s`;
    const seen: (string | undefined)[] = [];
    await gate.run({ conversationKey: 'conv-s', stateKey: key }, async (slot) => {
      seen.push(slot.stored);
      slot.save('*', 'e1 {"n":1}', 60);
      // Written with the release, not before.
      expect(await redisA.get(key)).toBeNull();
      return [];
    });
    expect(await redisA.get(key)).toBe('e1 {"n":1}');
    const ttl = await redisA.ttl(key);
    expect(ttl).toBeGreaterThan(50);
    await gate.run({ conversationKey: 'conv-s', stateKey: key }, async (slot) => {
      seen.push(slot.stored);
      slot.save('e1', 'e2 {"n":2}', 60);
      return [];
    });
    // A turn that saves nothing leaves the state alone.
    await gate.run({ conversationKey: 'conv-s', stateKey: key }, async (slot) => {
      seen.push(slot.stored);
      return [];
    });
    expect(seen).toEqual([undefined, 'e1 {"n":1}', 'e2 {"n":2}']);
    expect(await redisA.get(key)).toBe('e2 {"n":2}');
    // Removing is compared like writing: a stale eTag removes nothing, the current one removes the state.
    await expect(
      gate.run({ conversationKey: 'conv-s', stateKey: key }, async (slot) => {
        slot.remove('e1');
        return [];
      }),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect(await redisA.get(key)).toBe('e2 {"n":2}');
    await gate.run({ conversationKey: 'conv-s', stateKey: key }, async (slot) => {
      slot.remove('e2');
      return [];
    });
    expect(await redisA.exists(key)).toBe(0);
  });

  it('runs at most `concurrency` turns at once, the others waiting in order without holding their lock', async () => {
    const gate = new TurnGate(redisA, { prefix, concurrency: 2 });
    let inside = 0;
    let most = 0;
    const started: string[] = [];
    const locksHeldWhileWaiting: number[] = [];
    const turn = (name: string) => async () => {
      started.push(name);
      inside++;
      most = Math.max(most, inside);
      await sleep(30);
      if (name === 'q1') locksHeldWhileWaiting.push(await redisA.exists(`${prefix}:lock:conv-q4`));
      inside--;
      return [{ type: 'message', text: name }];
    };
    const names = ['q1', 'q2', 'q3', 'q4', 'q5'];
    const results = await Promise.all(names.map((n) => gate.run({ conversationKey: `conv-${n}` }, turn(n))));
    expect(results.map((r) => r[0]!.text)).toEqual(names);
    expect(most).toBe(2);
    expect(started).toEqual(names);
    expect(locksHeldWhileWaiting).toEqual([0]);
  });

  it('calls onStart when a turn starts to run, not while it waits for a slot, and not for a repeat', async () => {
    const gate = new TurnGate(redisA, { prefix, concurrency: 1 });
    const events: string[] = [];
    const turn = (name: string) => async () => {
      events.push(`run ${name}`);
      await sleep(40);
      return [{ type: 'message', text: name }];
    };
    const request = (name: string) => ({
      conversationKey: `conv-s-${name}`,
      activityKey: `act-s-${name}`,
      onStart: () => events.push(`start ${name}`),
    });
    await Promise.all([gate.run(request('a'), turn('a')), gate.run(request('b'), turn('b'))]);
    // b waited for a's slot: its start comes after a's turn, not at its arrival.
    expect(events).toEqual(['start a', 'run a', 'start b', 'run b']);
    events.length = 0;
    expect(await gate.run(request('a'), turn('a'))).toEqual([{ type: 'message', text: 'a' }]);
    expect(events).toEqual([]);
  });

  it('keeps nothing of a turn whose state someone else changed meanwhile: no write, no record, lock freed', async () => {
    const gate = new TurnGate(redisA, { prefix });
    const key = `${prefix}:state:conv-c`;
    await redisA.set(key, 'e1 {"n":1}');
    let runs = 0;
    const turn = async (slot: {
      stored: string | undefined;
      save: (e: string, v: string, t: number) => void;
    }) => {
      runs++;
      // Another process, whose lease outlived ours, wrote in between.
      if (runs === 1) await redisB.set(key, 'other {"n":9}');
      slot.save(slot.stored!.split(' ')[0]!, `e${runs + 1} {"n":${runs + 1}}`, 60);
      return [{ type: 'message', text: `run ${runs}` }];
    };
    const request = { conversationKey: 'conv-c', activityKey: 'act-c', stateKey: key };
    await expect(gate.run(request, turn)).rejects.toBeInstanceOf(StateConflictError);
    expect(await redisA.get(key)).toBe('other {"n":9}');
    expect(await redisA.exists(`${prefix}:lock:conv-c`)).toBe(0);
    // Not recorded: the channel's retry runs the turn again, on the state as it now is.
    expect(await gate.run(request, turn)).toEqual([{ type: 'message', text: 'run 2' }]);
    expect(await redisA.get(key)).toBe('e3 {"n":3}');
  });

  it('renews the lease while a turn runs longer than it: nobody else gets in meanwhile', async () => {
    const slow = new TurnGate(redisA, { prefix, leaseMs: 300 });
    const other = new TurnGate(redisB, { prefix, leaseMs: 300, waitMs: 5000 });
    const order: string[] = [];
    const first = slow.run({ conversationKey: 'conv-renew', activityKey: 'renew-1' }, async () => {
      order.push('slow start');
      await sleep(1200); // four leases
      order.push('slow end');
      return [];
    });
    await sleep(50);
    const second = other.run({ conversationKey: 'conv-renew' }, async () => {
      order.push('other');
      return [];
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['slow start', 'slow end', 'other']);
    // The slow turn was recorded: its release found the lock still its own.
    expect(await redisA.exists(`${prefix}:seen:renew-1`)).toBe(1);
  });

  it('keeps nothing of a turn whose lease was lost anyway: no state, no record', async () => {
    const gate = new TurnGate(redisA, { prefix, leaseMs: 60_000 });
    const stateKey = `${prefix}:state:conv-lost`;
    await expect(
      gate.run({ conversationKey: 'conv-lost', activityKey: 'lost-1', stateKey }, async (slot) => {
        // Another process took the conversation (this one's lease expired while Redis was unreachable).
        await redisB.set(`${prefix}:lock:conv-lost`, 'someone-else');
        slot.save('', 'e1 {"x":1}', 60);
        return [];
      }),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect(await redisA.exists(stateKey)).toBe(0);
    expect(await redisA.exists(`${prefix}:seen:lost-1`)).toBe(0);
    // Not this turn's lock to free.
    expect(await redisA.get(`${prefix}:lock:conv-lost`)).toBe('someone-else');
  });

  it('expects a conversation without state to be without state still at the release', async () => {
    const gate = new TurnGate(redisA, { prefix });
    const key = `${prefix}:state:conv-n`;
    const request = { conversationKey: 'conv-n', stateKey: key };
    await expect(
      gate.run(request, async (slot) => {
        expect(slot.stored).toBeUndefined();
        await redisB.set(key, 'other {"n":1}');
        slot.save('', 'mine {"n":2}', 60);
        return [];
      }),
    ).rejects.toBeInstanceOf(StateConflictError);
    expect(await redisA.get(key)).toBe('other {"n":1}');
    // A state erased during the turn (gone at the release) is written as before.
    await gate.run(request, async (slot) => {
      await redisB.del(key);
      slot.save(slot.stored!.split(' ')[0]!, 'mine {"n":3}', 60);
      return [];
    });
    expect(await redisA.get(key)).toBe('mine {"n":3}');
  });
});
