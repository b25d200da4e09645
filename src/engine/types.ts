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

/**
 * An image in a reply (a chart): one of its `attachments`, the PNG inline as a data: URL, `name` its text
 * alternative. The reply's text says the same, so a channel that cannot show images shows the text and
 * drops the attachment.
 */
export interface ImageAttachment {
  contentType: 'image/png';
  /** `data:image/png;base64,…` */
  contentUrl: string;
  /** The text alternative (alt text). */
  name: string;
}

const PNG_DATA_URL = 'data:image/png;base64,';

export function pngAttachment(png: Uint8Array, alt: string): ImageAttachment {
  return {
    contentType: 'image/png',
    contentUrl: PNG_DATA_URL + Buffer.from(png).toString('base64'),
    name: alt,
  };
}

/** A reply's inline PNG images (attachments of other kinds, or pointing elsewhere, are left out). */
export function imagesOf(reply: OutboundActivity): ImageAttachment[] {
  return (reply.attachments ?? [])
    .filter(
      (a): a is ImageAttachment =>
        a.contentType === 'image/png' &&
        typeof a.contentUrl === 'string' &&
        a.contentUrl.startsWith(PNG_DATA_URL) &&
        a.contentUrl.length > PNG_DATA_URL.length,
    )
    .map((a) => ({ ...a, name: typeof a.name === 'string' ? a.name : '' }));
}

/** The PNG bytes of an image attachment, base64 (as Telegram uploads and Direct Line data: URLs want them). */
export function imageBase64(image: ImageAttachment): string {
  return image.contentUrl.slice(PNG_DATA_URL.length);
}

/**
 * A file in a reply (the person's own data, as JSON): one of its `attachments`, inline as a data: URL,
 * `name` its file name. Telegram sends it as a document; Web Chat offers it for download.
 */
export interface FileAttachment {
  contentType: 'application/json';
  /** `data:application/json;base64,…` */
  contentUrl: string;
  name: string;
}

const JSON_DATA_URL = 'data:application/json;base64,';

export function jsonFileAttachment(json: string, name: string): FileAttachment {
  return {
    contentType: 'application/json',
    contentUrl: JSON_DATA_URL + Buffer.from(json, 'utf8').toString('base64'),
    name,
  };
}

/** A reply's inline JSON files (other attachments are left out). */
export function filesOf(reply: OutboundActivity): FileAttachment[] {
  return (reply.attachments ?? [])
    .filter(
      (a): a is FileAttachment =>
        a.contentType === 'application/json' &&
        typeof a.contentUrl === 'string' &&
        a.contentUrl.startsWith(JSON_DATA_URL),
    )
    .map((a) => ({ ...a, name: typeof a.name === 'string' && a.name !== '' ? a.name : 'data.json' }));
}

/** A file attachment's bytes, base64. */
export function fileBase64(file: FileAttachment): string {
  return file.contentUrl.slice(JSON_DATA_URL.length);
}

/**
 * A reply meant only for the person whose button press it answers (a refusal: «only moderators decide»). A
 * channel that can show it to that person alone where the press was made — Telegram, in a group: the press's
 * own answer, over the chat — does so instead of posting it for the whole group to read; otherwise it is an
 * ordinary reply.
 */
export function presserOnly(text: string): OutboundActivity {
  return { type: 'message', text, channelData: { plazaPresserOnly: true } };
}

export function isPresserOnly(reply: OutboundActivity): boolean {
  return (reply.channelData as { plazaPresserOnly?: unknown } | undefined)?.plazaPresserOnly === true;
}

export interface TurnRunner {
  /**
   * Runs one inbound activity through the engine, one turn at a time per conversation, and resolves with
   * what the bot sent in reply (possibly nothing). An activity id seen before is not run again: the replies
   * of its first turn come back, with the same ids, so delivering them can be made idempotent. It rejects only when the
   * turn could not be run at all (Redis or the database unreachable): the caller should answer "retry".
   */
  runTurn(activity: InboundActivity, hooks?: TurnHooks): Promise<OutboundActivity[]>;
}

export interface TurnHooks {
  /**
   * Called once when the turn starts running: after it waited for the conversation's earlier turns and for a
   * free slot of this process. Not called when the turn does not run (a repeated activity, answered from
   * its record; a message over the flood limit). A channel's "typing…" counts from here, so a busy process
   * does not add a call per waiting message to its load.
   */
  onStart?: () => void;
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
