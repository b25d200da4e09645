// The broadcast flow's free-text questions: a broadcast text (within the length a broadcast allows,
// optionally skippable with a button) or a day and time to schedule it. Like the shared text prompt, it
// explains what is wrong and asks again in one message; unlike it, its question may carry a button (skip),
// and a schedule answer comes back as the ISO instant it was read as, so the flow never parses twice.
import { MessageFactory, type Activity } from 'botbuilder';
import { TextPrompt, type PromptValidatorContext } from 'botbuilder-dialogs';
import { MAX_BROADCAST_TEXT } from '../../domain/create-broadcast.ts';
import { cleanText } from '../../domain/proposal-rules.ts';
import { tr, type FlowServices } from '../session.ts';
import { parseScheduleTime } from './schedule-time.ts';

export const BROADCAST_INPUT = 'broadcast-input';

/** What an answer must be; stored with the prompt's options (JSON), so data only. */
export type BroadcastInputCheck =
  /** `skip`: the title of the skip button; pressing it (or typing it) answers ''. */
  { kind: 'text'; skip?: string } | { kind: 'when'; timeZone: string };

const SKIP_WORDS = ['omitir', 'saltar', 'skip', 'sin inglés', 'sin ingles', 'no english'];

/** The question, with its skip button if it has one. */
export function broadcastInputPrompt(text: string, check: BroadcastInputCheck): Partial<Activity> | string {
  return check.kind === 'text' && check.skip
    ? MessageFactory.suggestedActions([{ type: 'imBack', title: check.skip, value: check.skip }], text)
    : text;
}

export class BroadcastInputPrompt extends TextPrompt {
  constructor(services: FlowServices) {
    super(BROADCAST_INPUT, (prompt) => validate(prompt, services));
  }
}

async function validate(prompt: PromptValidatorContext<string>, services: FlowServices): Promise<boolean> {
  if (!prompt.recognized.succeeded) return false;
  const ctx = prompt.context;
  // Cleaned as every typed answer is (ui.ts): a NUL or a lone surrogate would fail only when stored.
  const text = cleanText(prompt.recognized.value ?? '');
  if (text === '') return false;
  const check = (prompt.options.validations ?? { kind: 'text' }) as BroadcastInputCheck;
  let problem: string | undefined;
  if (check.kind === 'when') {
    const when = parseScheduleTime(text, { now: services.domain.now(), timeZone: check.timeZone });
    if (when.ok) {
      prompt.recognized.value = when.at.toISOString();
      return true;
    }
    problem = tr(ctx, `broadcast.when.${when.reason}`);
  } else {
    const folded = text.toLowerCase().replace(/[.!]+$/, '');
    if (check.skip && (folded === check.skip.toLowerCase() || SKIP_WORDS.includes(folded))) {
      prompt.recognized.value = '';
      return true;
    }
    const length = [...text].length;
    if (length <= MAX_BROADCAST_TEXT) {
      prompt.recognized.value = text;
      return true;
    }
    problem = tr(ctx, 'broadcast.tooLong', { length, max: MAX_BROADCAST_TEXT });
  }
  // The prompt re-asks with its retry text only if nothing was sent this turn: explain and ask in one.
  const question = prompt.options.prompt;
  prompt.options.retryPrompt =
    typeof question === 'object' && question !== null
      ? { ...question, text: `${problem}\n\n${question.text ?? ''}` }
      : `${problem}\n\n${String(question ?? '')}`;
  return false;
}
