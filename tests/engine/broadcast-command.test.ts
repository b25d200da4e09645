import { describe, expect, it } from 'vitest';
import { recogniseCommand } from '../../src/engine/commands.ts';

describe('/difundir', () => {
  it('is a command only with its slash, in either language, also addressed to the bot', () => {
    for (const text of ['/difundir', '/broadcast', ' /Difundir ', '/difundir@PlazaBot', '/BROADCAST.'])
      expect(recogniseCommand(text), text).toEqual({ kind: 'broadcast' });
    for (const text of ['difundir', 'broadcast', '/difundir ahora', 'quiero difundir'])
      expect(recogniseCommand(text), text).toBeUndefined();
  });
});
