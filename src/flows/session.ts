// What a flow knows about the turn: who is writing (if they consented), in which language, on which channel,
// and their remembered preferences. The engine fills it before running dialogs; flows read and update it.
import type { TurnContext } from 'botbuilder';
import type { DomainDeps, Locale } from '../domain/deps.ts';
import type { ParticipantView } from '../domain/find-participant.ts';
import type { ParticipantTraces } from '../domain/erase-participant.ts';
import { t as translate, type MessageKey } from '../i18n/index.ts';

/** A deep link to open once onboarding is done (Telegram /start payloads, web chat ?process=). */
export type DeepLink = { kind: 'process'; slug: string } | { kind: 'proposal'; proposalId: number };

/** Kept in user state (Redis, expiring): language chosen before consent, the process in focus, a deep link. */
export interface Profile {
  locale?: Locale;
  processId?: number;
  pending?: DeepLink;
  /**
   * When this conversation answered "under 14" (ISO time): for a day it is not asked the age again, so the
   * answer cannot be changed by simply trying again (onboarding-dialog's UNDERAGE_REMEMBERED_MS).
   */
  underageAt?: string;
  /**
   * A proposal being written, kept when the conversation leaves the proposal flow before sending or
   * discarding it («menú», a command, a deep link): «Hacer una propuesta» in that process goes on from it
   * (propose-dialog). The person's own text, kept with the conversation state (erased with it).
   */
  draft?: { processId: number; title?: string; body?: string; categoryId?: number };
}

export interface Session {
  channelId: string;
  userId: string;
  locale: Locale;
  participant: ParticipantView | undefined;
  profile: Profile;
}

const SESSION = Symbol('plaza.session');

export function setSession(ctx: TurnContext, session: Session): void {
  ctx.turnState.set(SESSION, session);
}

export function session(ctx: TurnContext): Session {
  const s = ctx.turnState.get(SESSION) as Session | undefined;
  if (!s) throw new Error('Turn has no session: the engine must set it before running dialogs');
  return s;
}

/** The participant, for steps that only run after the consent gate. */
export function participantId(ctx: TurnContext): string {
  const p = session(ctx).participant;
  if (!p?.hasConsent) throw new Error('Step needs a consenting participant');
  return p.id;
}

export function tr(ctx: TurnContext, key: MessageKey, vars?: Record<string, unknown>): string {
  return translate(session(ctx).locale, key, vars);
}

/** Everything a flow may call: the domain's dependencies (use cases take them as first argument). */
export interface FlowServices {
  domain: DomainDeps;
  /** Where an erased person's conversations and queued messages are forgotten outside PostgreSQL. */
  traces?: ParticipantTraces;
}
