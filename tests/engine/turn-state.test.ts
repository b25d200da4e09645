// The conversation state a turn reads and writes through botbuilder's accessors, kept by the turn gate.
import { TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { CollectingAdapter } from '../../src/engine/adapter.ts';
import {
  attachTurnState,
  deleteTurnState,
  readTurnState,
  stateKeyOf,
  stateProperty,
  writeTurnState,
} from '../../src/engine/turn-state.ts';

const context = () =>
  new TurnContext(new CollectingAdapter(), {
    type: 'message',
    channelId: 'test',
    conversation: { id: 'c1' } as never,
    from: { id: 'u1', name: 'u1' },
  });

describe('turn state', () => {
  it("keeps botbuilder ConversationState's key layout", () => {
    expect(stateKeyOf('plaza', 'telegram', '42')).toBe('plaza:state:telegram/conversations/42/');
  });

  it('reads what the gate read, hands out defaults as copies, and writes every property once', async () => {
    const state = readTurnState('e1 {"profile":{"locale":"en"}}');
    expect(state.expected).toBe('e1');
    const ctx = context();
    attachTurnState(ctx, state);
    const profile = stateProperty<{ locale?: string; processId?: number }>('profile');
    const dialog = stateProperty<{ dialogStack: unknown[] }>('dialogState');
    const defaults = { dialogStack: [] as unknown[] };
    const stack = await dialog.get(ctx, defaults);
    stack.dialogStack.push({ id: 'root' });
    expect(defaults.dialogStack).toEqual([]);
    (await profile.get(ctx, {})).processId = 7;
    const written = writeTurnState(state);
    expect(written).toMatch(/^[0-9a-f-]{36} /);
    expect(JSON.parse(written.slice(written.indexOf(' ') + 1))).toEqual({
      profile: { locale: 'en', processId: 7 },
      dialogState: { dialogStack: [{ id: 'root' }] },
    });
    await profile.delete(ctx);
    expect(await profile.get(ctx)).toBeUndefined();
  });

  it("expects a conversation without state to have none ('') and starts it empty", () => {
    expect(readTurnState(undefined)).toEqual({ values: {}, expected: '', deleted: false });
  });

  it('starts afresh from a stored state it cannot read, expecting its eTag so the turn replaces it', () => {
    expect(readTurnState('e9 {not json')).toEqual({ values: {}, expected: 'e9', deleted: false });
    expect(readTurnState('e8 [1,2]')).toEqual({ values: {}, expected: 'e8', deleted: false });
    // Without a readable eTag there is nothing to compare with: the turn may replace whatever is there.
    expect(readTurnState('garbage')).toEqual({ values: {}, expected: '*', deleted: false });
    expect(readTurnState(' {"profile":{}}')).toMatchObject({ expected: '*' });
  });

  it('deleting empties the state and marks it to be removed', async () => {
    const state = readTurnState('e1 {"profile":{"locale":"en"}}');
    const ctx = context();
    attachTurnState(ctx, state);
    deleteTurnState(ctx);
    expect(state.deleted).toBe(true);
    expect(await stateProperty('profile').get(ctx)).toBeUndefined();
  });

  it('refuses to run an accessor on a turn without state (a wiring mistake, not a silent empty state)', async () => {
    await expect(stateProperty('profile').get(context())).rejects.toThrow(/no state/);
  });
});
