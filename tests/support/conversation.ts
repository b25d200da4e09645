// Conversations as scripts: what the user says (or which button they press) and what the bot answers.
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { OutboundActivity, TurnRunner } from '../../src/engine/types.ts';

export interface ChatOptions {
  channelId?: string;
  userId?: string;
  conversationId?: string;
  locale?: string;
}

export class Chat implements ChatLike {
  readonly channelId: string;
  readonly userId: string;
  readonly conversationId: string;
  readonly locale: string;
  replies: OutboundActivity[] = [];
  private seq = 0;

  constructor(
    private readonly engine: TurnRunner,
    opts: ChatOptions = {},
  ) {
    this.channelId = opts.channelId ?? 'webchat';
    this.userId = opts.userId ?? `u-${randomUUID()}`;
    this.conversationId = opts.conversationId ?? `c-${randomUUID()}`;
    this.locale = opts.locale ?? 'es-ES';
  }

  async send(activity: Partial<OutboundActivity> & { type: string }): Promise<OutboundActivity[]> {
    this.replies = await this.engine.runTurn({
      id: `${this.conversationId}-${++this.seq}`,
      channelId: this.channelId,
      conversation: { id: this.conversationId } as never,
      from: { id: this.userId } as never,
      recipient: { id: 'plaza' } as never,
      locale: this.locale,
      ...activity,
    });
    return this.replies;
  }

  say(text: string): Promise<OutboundActivity[]> {
    return this.send({ type: 'message', text });
  }

  /** Presses the button whose title contains `title` (as a channel would: the title comes back as text). */
  async press(title: string): Promise<OutboundActivity[]> {
    const button = this.buttons().find((b) => b.includes(title));
    if (button === undefined) {
      throw new Error(
        `No button "${title}" in the last reply. Buttons: ${JSON.stringify(this.buttons())}\n${this.text()}`,
      );
    }
    return this.say(button);
  }

  text(): string {
    return this.replies.map((r) => r.text ?? '').join('\n');
  }

  buttons(): string[] {
    const last = [...this.replies].reverse().find((r) => r.suggestedActions?.actions?.length);
    return last?.suggestedActions?.actions.map((a) => String(a.title)) ?? [];
  }
}

/** What a conversation script needs from a chat, whatever the channel. */
export interface ChatLike {
  say(text: string): Promise<unknown>;
  press(title: string): Promise<unknown>;
  /** The bot's answer to the last thing the user said or pressed. */
  text(): string;
  /** The titles of the buttons offered last. */
  buttons(): string[];
}

export type Step = [input: string | { press: string }, expected: RegExp | string | (RegExp | string)[]];

export const press = (title: string) => ({ press: title });

/** Runs a script; each step's expected texts must all appear in the bot's answer to that step. */
export async function script(chat: ChatLike, steps: Step[]): Promise<void> {
  for (const [input, expected] of steps) {
    if (typeof input === 'string') await chat.say(input);
    else await chat.press(input.press);
    const text = chat.text();
    for (const e of Array.isArray(expected) ? expected : [expected]) {
      const label = typeof input === 'string' ? `user says "${input}"` : `user presses "${input.press}"`;
      if (typeof e === 'string') expect(text, label).toContain(e);
      else expect(text, label).toMatch(e);
    }
  }
}

/** The onboarding of a Spanish speaker who is 14 or older and consents. */
export const consentSteps: Step[] = [
  ['hola', [/Soy Plaza/, /idioma/]],
  [press('Español'), [/Responsable/, /¿Tienes 14 años o más\?/]],
  [press('Sí'), /¿Aceptas que tratemos tus datos/],
  [press('Sí, acepto'), [/¡Gracias!/, /¿Qué quieres hacer\?/]],
];

/** The same in English (the 14-or-older answer typed). */
export const englishConsentSteps: Step[] = [
  ['hello', /Which language/],
  [press('English'), /Are you 14 or older\?/],
  ['yes', /Do you agree/],
  [press('Yes, I agree'), /What would you like to do\?/],
];
