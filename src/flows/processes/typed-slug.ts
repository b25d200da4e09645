// A process's slug typed at a question that lists processes (the citizens' «Procesos», staff's /difundir):
// it picks that process whether or not it is on the page shown. The check lets through what looks like a
// slug (case aside); the step then looks it up (getProcess) and asks again when it names none. A listed
// process's number, title or button wins over it.
import { isValidSlug } from '../../domain/process-rules.ts';
import { cleanText } from '../../domain/proposal-rules.ts';
import { registerTextCheck } from '../ui.ts';

/** The slug as typed, as slugs are stored: cleaned, trimmed, lower case. */
export const typedProcessSlug = (text: string): string => cleanText(text).trim().toLowerCase();

/** The text check (askChoice's `typed` answer) for a typed slug. */
export const TYPED_PROCESS_SLUG = registerTextCheck('process-slug', (_ctx, text) =>
  isValidSlug(typedProcessSlug(text)) ? undefined : 'not a slug',
);
