import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findParticipant } from '../../src/domain/find-participant.ts';
import { setParticipantLocale } from '../../src/domain/set-participant-locale.ts';
import { createParticipant } from '../support/fixtures.ts';
import { createDomainTest, type DomainTest } from './harness.ts';

let t: DomainTest;
beforeAll(async () => {
  t = await createDomainTest();
});
afterAll(() => t?.cleanup());

describe('setParticipantLocale', () => {
  it('remembers the language for the participant, and only for them', async () => {
    const [me, other] = await Promise.all([createParticipant(t.db), createParticipant(t.db)]);
    expect(await setParticipantLocale(t.deps, { participantId: me.id, locale: 'en' })).toEqual({ ok: true });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId: me.externalId })).toMatchObject({
      locale: 'en',
    });
    expect(await findParticipant(t.deps, { channel: 'webchat', externalId: other.externalId })).toMatchObject(
      {
        locale: 'es',
      },
    );
  });
});
