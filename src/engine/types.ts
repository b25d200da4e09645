// The contract between channels and the engine. Channels build an Activity from their platform's update and
// render the activities that come back; they never look inside flows or the domain.
import type { Activity } from 'botbuilder';
import type { BroadcastProgress } from '../domain/get-broadcast-progress.ts';

/** An activity arriving from a channel. `id` is the channel's own id, used to process repeats once. */
export type InboundActivity = Omit<Partial<Activity>, 'from' | 'conversation' | 'recipient'> & {
  type: string;
  channelId: string;
  conversation: { id: string; isGroup?: boolean; conversationType?: string; name?: string };
  from: { id: string; name?: string; role?: string };
  recipient?: { id: string; name?: string; role?: string };
};

export type OutboundActivity = Partial<Activity>;

export interface TurnRunner {
  /**
   * Runs one inbound activity through the engine, one turn at a time per conversation, and resolves with
   * what the bot sent in reply (possibly nothing). An activity id seen before is not run again: the replies
   * of its first turn come back, with the same ids, so delivering them can be made idempotent. It rejects only when the
   * turn could not be run at all (Redis or the database unreachable): the caller should answer "retry".
   */
  runTurn(activity: InboundActivity): Promise<OutboundActivity[]>;
}

/**
 * `conversation.conversationType` of an activity from the moderators' room (a channel marks its configured
 * moderators' group so): the engine runs the room's commands and decisions there, not the citizen flows.
 */
export const MODERATORS_ROOM = 'plaza-moderators';

/** Messages the engine renders outside a turn, for channels to deliver (the moderators' room, notices). */
export interface ProactiveRenderer {
  /** A moderation case's card for the moderators' room (with decision buttons while it is open). */
  caseCard(caseId: number): Promise<OutboundActivity | undefined>;
  /** A notice for its participant, in their language (undefined when its item is gone). */
  notice(noticeId: bigint): Promise<OutboundActivity | undefined>;
  /** A broadcast as its recipients in `locale` read it (undefined once cancelled or gone). */
  broadcast(broadcastId: number, locale: string): Promise<OutboundActivity | undefined>;
  /** A broadcast's progress (or, final, its summary) for the staff member's chat. */
  broadcastProgress(progress: BroadcastProgress, final: boolean): string;
}
