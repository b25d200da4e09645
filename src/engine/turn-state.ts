// A conversation's state during one turn — the dialog stack and the profile — as botbuilder's dialogs see it
// (StatePropertyAccessor). The turn gate reads it when the turn begins and writes it when the turn is over
// (turn-gate.ts: compared with the eTag it had when read, so a turn that outlived its lease does not
// overwrite a later turn's), so the state costs no Redis round trip of its own, and it is serialised once
// per turn (botbuilder's ConversationState hashed it three times a turn to find out whether it changed).
// Stored as "<eTag> <JSON>" under <prefix>:state:<channel>/conversations/<conversation>/, the layout of
// botbuilder's ConversationState, which wrote it before (src/redis/participant-traces.ts finds it there).
// Items expire after DIALOG_STATE_TTL_SECONDS without a turn, so the state of someone who never consented
// disappears by itself.
import { randomUUID } from 'node:crypto';
import type { StatePropertyAccessor, TurnContext } from 'botbuilder';

const BAG = Symbol('plaza.turnState');

/** One turn's state: its properties, and the eTag the stored state had when read ('' = there was none). */
export interface TurnState {
  readonly values: Record<string, unknown>;
  readonly expected: string;
  /** Set by `deleteTurnState`: the stored state is to be removed, not written. */
  deleted: boolean;
}

/** The Redis key of a conversation's state. */
export function stateKeyOf(prefix: string, channelId: string, conversationId: string): string {
  return `${prefix}:state:${channelId}/conversations/${conversationId}/`;
}

/**
 * The turn's state from what the gate read ("<eTag> <JSON>", or undefined when there was none). A stored
 * state that cannot be read is started afresh (and replaced by this turn's), rather than failing every turn
 * of the conversation until it expires.
 */
export function readTurnState(stored: string | undefined): TurnState {
  if (stored === undefined) return { values: {}, expected: '', deleted: false };
  const space = stored.indexOf(' ');
  // Without a readable "<eTag> " there is nothing to compare with: any stored value may be replaced.
  const expected = space > 0 ? stored.slice(0, space) : '*';
  try {
    const values: unknown = JSON.parse(stored.slice(space + 1));
    if (values && typeof values === 'object' && !Array.isArray(values))
      return { values: values as Record<string, unknown>, expected, deleted: false };
  } catch {
    // fall through: unreadable
  }
  return { values: {}, expected, deleted: false };
}

/** What to store for the turn: a new eTag and the JSON of its properties. */
export function writeTurnState(state: TurnState): string {
  return `${randomUUID()} ${JSON.stringify(state.values)}`;
}

/** Makes `state` the one the turn's accessors read and write. */
export function attachTurnState(ctx: TurnContext, state: TurnState): void {
  ctx.turnState.set(BAG, state);
}

/** Forgets the conversation's state: the turn starts from nothing and the stored state is removed. */
export function deleteTurnState(ctx: TurnContext): void {
  const state = bagOf(ctx);
  for (const name of Object.keys(state.values)) delete state.values[name];
  state.deleted = true;
}

function bagOf(ctx: TurnContext): TurnState {
  const state = ctx.turnState.get(BAG) as TurnState | undefined;
  if (!state) throw new Error('Turn has no state: the engine attaches it before running dialogs');
  return state;
}

/** One property of the conversation's state (botbuilder's accessor contract: a default is copied in). */
export function stateProperty<T>(name: string): StatePropertyAccessor<T> {
  return {
    async get(ctx: TurnContext, defaultValue?: T): Promise<T> {
      const values = bagOf(ctx).values;
      if (!Object.prototype.hasOwnProperty.call(values, name) && defaultValue !== undefined)
        values[name] =
          typeof defaultValue === 'object' ? (JSON.parse(JSON.stringify(defaultValue)) as T) : defaultValue;
      return values[name] as T;
    },
    async set(ctx: TurnContext, value: T): Promise<void> {
      bagOf(ctx).values[name] = value;
    },
    async delete(ctx: TurnContext): Promise<void> {
      delete bagOf(ctx).values[name];
    },
  } as StatePropertyAccessor<T>;
}
