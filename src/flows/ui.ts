// How flows ask: every question with buttons is a ChoicePrompt rendered as suggested actions, so it can be
// answered by pressing a button or by typing its number, its words or an ordinal ("la segunda") — as the
// whole answer, never a word picked out of a sentence (WholeAnswerChoicePrompt).
import type { TurnContext } from 'botbuilder';
import {
  ChoiceFactory,
  ChoicePrompt,
  ListStyle,
  recognizeChoices,
  type DialogContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStep,
  type Choice,
  type DialogTurnResult,
  type FoundChoice,
  type PromptOptions,
  type PromptRecognizerResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { cleanText } from '../domain/proposal-rules.ts';
import { session, tr } from './session.ts';
import type { MessageKey } from '../i18n/index.ts';

export const CHOICE = 'choice';
export const TEXT = 'text';

/** Button titles are short: Telegram and Web Chat show ~30 characters comfortably. */
export const buttonTitle = (text: string, max = 40): string =>
  [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text;

export interface Option {
  value: string;
  title: string;
  synonyms?: string[];
}

/**
 * The prompt's choices. A press arrives as its button's title (web chat's imBack; Telegram's saved title), so
 * each title must name its own option only: titles that would read the same (exactChoice: case, accents and
 * punctuation aside — two workshops called alike, two proposals cut to the same words) carry the option's
 * number as well, «Taller de movilidad (2)», the number that typed picks it and that Telegram shows on the
 * button; so does a title that is another option's number («2» as the first). Other titles stay as they are.
 * The one option with a way back (answered by «volver» or «back») is answered by every BACK_WORDS word too.
 */
export function toChoices(options: Option[]): Choice[] {
  const titles = distinctTitles(options.map((o) => o.title));
  const backs = options.filter((o) => (o.synonyms ?? []).some(isBackWord));
  return options.map((o, i) => ({
    value: o.value,
    action: { type: 'imBack', title: titles[i]!, value: titles[i]! },
    synonyms:
      backs.length === 1 && backs[0] === o
        ? [...o.synonyms!, ...BACK_WORDS.filter((w) => !o.synonyms!.includes(w))]
        : o.synonyms,
  }));
}

/** Words that ask for the next page of a list, in both languages (an option's synonyms: «Más procesos», «Ver más»…). */
export const MORE_WORDS = ['más', 'mas', 'siguientes', 'ver más', 'more', 'see more', 'next'];

/**
 * Words that ask to go back, in both languages. Added only where one option goes back: with two (the previous
 * page and the menu) «atrás» could mean either, and is asked again.
 */
const BACK_WORDS = ['volver', 'atrás', 'atras', 'back', 'go back'];
/** BACK_WORDS as exactChoice compares them, computed on first use (plain is defined further down). */
let backWordsPlain: Set<string> | undefined;
/** (Tested first on the raw text, which is cheap: this runs for every synonym of every question asked.) */
const MAYBE_BACK = /volver|back|atr[aá]s/i;
const isBackWord = (synonym: string): boolean =>
  MAYBE_BACK.test(synonym) &&
  (backWordsPlain ??= new Set(BACK_WORDS.map((w) => plain(w)))).has(plainOption(synonym));

/** `titles` with a «(n)» after each that would not name its own option n alone (see toChoices). */
function distinctTitles(titles: string[]): string[] {
  const result = [...titles];
  // A suffixed title could still read as another («A (2)» in the list): a few rounds settle it.
  for (let round = 0; round < 3; round++) {
    // What each title reads as for namer: its plain text, or its symbols when it has no letters or digits.
    const keys = result.map((title) => plainOption(title) || (symbols(title) && `\u0000${symbols(title)}`));
    const counts = new Map<string, number>();
    for (const key of keys) if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    const clash = result.map((title, i) => {
      const position = POSITION.exec(title);
      if (position) return Number(position[1]) - 1 !== i;
      return keys[i] !== '' && counts.get(keys[i]!)! > 1;
    });
    if (!clash.includes(true)) break;
    clash.forEach((c, i) => {
      if (c) result[i] = `${result[i]} (${i + 1})`;
    });
  }
  return result;
}

/** Asks a question with buttons; the answer reaches the next step as `step.result.value` (the option value). */
/**
 * `typed`: free text that answers the question by itself — typed text that passes the registered check
 * `typed.check` (registerTextCheck: no problem found) picks `typed.value`; the next step reads the text from
 * the activity. «Vincular cuentas» takes a code typed at its first question this way.
 */
export function askChoice(
  step: WaterfallStepContext,
  text: string,
  options: Option[],
  retryKey: MessageKey = 'common.retryChoice',
  typed?: { value: string; check: string },
): Promise<DialogTurnResult> {
  return step.prompt(CHOICE, {
    prompt: text,
    retryPrompt: `${tr(step.context, retryKey)}\n\n${text}`,
    choices: toChoices(options),
    style: ListStyle.suggestedAction,
    ...(typed ? { validations: { typed } } : {}),
  });
}

/**
 * A yes/no question. Understands the usual ways of saying either in both languages (YES_ANSWERS,
 * NO_ANSWERS: «vale», «de acuerdo», "sure", "I don't agree", 👍…); the answer is `isYes(step)`.
 */
export function askYesNo(step: WaterfallStepContext, text: string): Promise<DialogTurnResult> {
  return askChoice(
    step,
    text,
    [
      { value: 'yes', title: tr(step.context, 'common.yes'), synonyms: YES_ANSWERS },
      { value: 'no', title: tr(step.context, 'common.no'), synonyms: NO_ANSWERS },
    ],
    'common.retryConfirm',
  );
}

// What people answer to a yes/no question, in Spanish and English whatever the conversation's language (the
// consent question uses them too). Whole answers only (WholeAnswerChoicePrompt): a message that is one of
// them, or several meaning the same («sí, vale»), or one with filler words around; a yes and a no in one
// message, or any other word (a «not», a «pero»), is asked again. No single letters, which mean something
// else inside a Spanish sentence («y» is "and"). Every negated form of a yes is a no here («I don't agree»,
// «claro que no»), so that it is never read as its yes with a word skipped (see skippedWords).
export const YES_ANSWERS = [
  ...['sí', 'si', 'vale', 'claro', 'claro que sí', 'por supuesto', 'de acuerdo', 'estoy de acuerdo'],
  ...['acepto', 'sí acepto', 'correcto', 'ok', 'okay'],
  ...['yes', 'yeah', 'yep', 'yup', 'sure', 'of course', 'accept', 'i accept', 'agree', 'i agree'],
  ...['alright', 'all right'],
  ...['👍', '👌', '✅', '✔'],
];
export const NO_ANSWERS = [
  ...['no', 'nop', 'no acepto', 'no estoy de acuerdo', 'claro que no', 'por supuesto que no', 'para nada'],
  ...['de ninguna manera', 'ni hablar', 'no gracias'],
  ...['nope', 'nah', 'no thanks', 'no thank you', 'of course not', 'certainly not', 'absolutely not'],
  ...['no way', 'not really', 'i disagree', 'disagree'],
  ...['i do not agree', "i don't agree", 'i dont agree', "don't agree", 'do not agree', 'dont agree'],
  ...['i do not accept', "i don't accept", 'i dont accept', "don't accept", 'do not accept', 'dont accept'],
  ...['👎', '❌'],
];

export const isYes = (step: WaterfallStepContext): boolean => chosen(step) === 'yes';

let noChoices: Choice[] | undefined;
/** Whether typed text is a no (NO_ANSWERS as the whole message, compared as exactChoice compares). */
export const saysNo = (text: string): boolean =>
  exactChoice(text, (noChoices ??= toChoices([{ value: 'no', title: 'no', synonyms: NO_ANSWERS }]))) !==
  undefined;

export const chosen = (step: WaterfallStepContext): string => (step.result as FoundChoice).value;

/**
 * A citizen's typed answer picks an option only when it says that and nothing else: a button (it arrives as
 * its title), the option's number alone, its title or a synonym as the whole message (case, accents and
 * punctuation aside), or what botbuilder's recogniser finds — a title word, an ordinal ("la segunda"), a
 * number word — when that is all the message says, beyond a few words that carry no meaning of their own
 * ("quiero", "la", "por favor"). A word or number inside a sentence decides nothing: «¿y si no quiero?»
 * is not consent, «no quiero apoyar esta» is not a support, «espera que tengo 1 duda» does not send a
 * proposal; the question is asked again instead.
 * A bare number is read first: botbuilder matches option words first, so "2" would otherwise pick an option
 * whose title contains a 2 (say, "Línea 2 de autobús") instead of the second one.
 * A number with a decimal part («1,5», «2.0», «dos coma cinco») names no option: botbuilder's recogniser keeps
 * its whole part (1, 2) and would pick that option. A full stop after a whole number is punctuation: «la 2.».
 */
class WholeAnswerChoicePrompt extends ChoicePrompt {
  protected override onRecognize(
    context: TurnContext,
    _state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<FoundChoice>> {
    const choices = (options.choices ?? []) as Choice[];
    const found =
      exactChoice(context.activity.text, choices) ??
      this.wholeMatch(context, choices) ??
      typedAnswer(context, options);
    return Promise.resolve(found ? { succeeded: true, value: found } : { succeeded: false });
  }

  private wholeMatch(context: TurnContext, choices: Choice[]): FoundChoice | undefined {
    const locale = (context.activity.locale ?? 'es-es').toLowerCase();
    return this.wholeAnswer(context.activity.text ?? '', choices, locale, 0);
  }

  /**
   * The option `text` names as a whole answer. The recogniser reports each option once, so what is left
   * around it may name the same option again in other words («yes, I accept», «no, I don't agree»): that
   * rest is read the same way (a few times at most), and must name that option or nothing but filler.
   */
  private wholeAnswer(
    text: string,
    choices: Choice[],
    locale: string,
    depth: number,
  ): FoundChoice | undefined {
    const results = recognizeChoices(text, ChoiceFactory.toChoices(choices), {
      ...this.recognizerOptions,
      locale,
    });
    const first = results[0]?.resolution;
    // Two options named in one message is no answer either («sí… bueno, no»).
    if (!first || results.some((r) => r.resolution.index !== first.index)) return undefined;
    // An option found by its number or ordinal (not by its words: no synonym) whose number is not whole.
    if (results.some((r) => r.resolution.synonym === undefined && isFraction(r.text))) return undefined;
    let rest = '';
    let at = 0;
    for (const r of [...results].sort((a, b) => a.start - b.start)) {
      if (r.start < at) continue;
      rest += ` ${text.slice(at, r.start)}`;
      if (r.resolution.synonym !== undefined) rest += ` ${skippedWords(r.text, r.resolution.synonym)}`;
      at = r.end + 1;
    }
    rest += ` ${text.slice(at)}`;
    const meaningful = plain(rest)
      .split(' ')
      .filter((word) => word !== '' && !FILLER.has(word));
    if (meaningful.length === 0) return first;
    if (depth >= 3) return undefined;
    return this.wholeAnswer(rest, choices, locale, depth + 1)?.index === first.index ? first : undefined;
  }
}

/**
 * The words inside a match that its synonym does not have. botbuilder's recogniser lets up to two words
 * come between a synonym's own («I do not agree» holds «I agree», «I really accept» «I accept»): those
 * words are part of the answer too, so they must be filler like the rest, never a negation.
 */
function skippedWords(matched: string, synonym: string): string {
  const own = plain(synonym).split(' ');
  return plain(matched)
    .split(' ')
    .filter((word) => {
      const i = own.indexOf(word);
      if (i >= 0) own.splice(i, 1);
      return i < 0;
    })
    .join(' ');
}

/**
 * Whether a number the recogniser read has a decimal part: digits around a comma or a point («1,5», «2.0»,
 * «1,000», which in Spanish is one), or the words that say so («dos coma cinco», «two point five», «one and a
 * half»).
 */
function isFraction(number: string): boolean {
  return (
    /\d\s*[.,]\s*\d/.test(number) ||
    plain(number)
      .split(' ')
      .some((word) => FRACTION_WORDS.has(word))
  );
}

const FRACTION_WORDS = new Set(['coma', 'punto', 'con', 'medio', 'media', 'point', 'comma', 'half']);

/** The option a free-text answer picks (askChoice's `typed`), when the typed text passes its check. */
function typedAnswer(context: TurnContext, options: PromptOptions): FoundChoice | undefined {
  const typed = (options.validations as { typed?: { value: string; check: string } } | undefined)?.typed;
  const check = typed && textChecks.get(typed.check);
  if (!typed || !check || context.activity.type !== 'message') return undefined;
  const text = cleanText(context.activity.text ?? '');
  return text !== '' && check(context, text) === undefined
    ? { value: typed.value, index: -1, score: 1 }
    : undefined;
}

/** Words around an answer that do not change it (plain form: lower case, no accents). No negation here. */
const FILLER = new Set([
  ...[
    'la',
    'el',
    'lo',
    'los',
    'las',
    'un',
    'una',
    'uno',
    'de',
    'del',
    'al',
    'a',
    'esta',
    'este',
    'esa',
    'ese',
  ],
  ...['opcion', 'numero', 'quiero', 'elijo', 'por', 'favor', 'porfa', 'pues', 'gracias'],
  ...['the', 'an', 'of', 'this', 'that', 'it', 'option', 'number', 'i', 'want', 'choose', 'please', 'thanks'],
]);

export function standardPrompts(): (ChoicePrompt | TextPrompt)[] {
  const choice = new WholeAnswerChoicePrompt(CHOICE, undefined, 'es-es');
  choice.recognizerOptions = { recognizeNumbers: true, recognizeOrdinals: true };
  return [choice, new TextPrompt(TEXT, validateText), new ExactChoicePrompt(ROOM_CHOICE)];
}

/**
 * The choice prompt of the moderators' room, a group where colleagues talk to each other while a question
 * waits: only an unambiguous answer counts — a button (it arrives as its title), or a message that is exactly
 * an option's number, title or synonym (case, accents, punctuation and emoji aside). No number or ordinal is
 * looked for inside a sentence ("dame 2 minutos"), no title word inside chat. Anything else is not an answer
 * and is not answered either (no "I did not understand" on every message in the group). Stricter than the
 * citizens' CHOICE (no title word, ordinal or filler words) and silent where CHOICE asks again.
 */
export const ROOM_CHOICE = 'room-choice';

/** Text as compared with an option's title: letters and digits only, lower case, without accents. */
function plain(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const optionTexts = new Map<string, string>();
/**
 * `plain` of an option's title or synonym, remembered: every question compares all of them (toChoices,
 * exactChoice), mostly the same few hundred texts turn after turn. What people type is not kept here. Bounded:
 * emptied when full.
 */
function plainOption(text: string): string {
  let found = optionTexts.get(text);
  if (found === undefined) {
    found = plain(text);
    if (optionTexts.size >= 4096) optionTexts.clear();
    optionTexts.set(text, found);
  }
  return found;
}

/** Text without emoji skin tones or variation selectors: 👍🏽 is 👍, ✔️ is ✔. */
export const withoutEmojiVariants = (text: string): string =>
  text.replace(/[\uFE0E\uFE0F]|\p{Emoji_Modifier}/gu, '');

/** A message of symbols only (an emoji such as 👍), as compared with a synonym that is one: no spaces either. */
const symbols = (text: string): string => withoutEmojiVariants(text).replace(/\s/g, '');

/**
 * The option a message names exactly (its number, title or a synonym), if any. A message with no letters
 * or digits names the option of a synonym made of the same symbols (👍), and nothing else. A title counts
 * before a synonym; a message that names two options (titles alike, a synonym of both) names none.
 */
export function exactChoice(text: string | undefined, choices: Choice[]): FoundChoice | undefined {
  if (!text) return undefined;
  const position = POSITION.exec(text);
  if (position) {
    const index = Number(position[1]) - 1;
    const choice = choices[index];
    return choice ? { value: choice.value, index, score: 1, synonym: position[1]! } : undefined;
  }
  const names = namer(text);
  if (!names) return undefined;
  // A title first (a press is one: it picks its own option whatever another's synonyms say), then a
  // synonym. Text that names two options (two titles alike, one synonym of two) picks neither.
  const named = (has: (c: Choice) => boolean) => choices.flatMap((c, i) => (has(c) ? [i] : []));
  const byTitle = named((c) => names(c.action?.title));
  const found = byTitle.length > 0 ? byTitle : named((c) => (c.synonyms ?? []).some(names));
  const index = found.length === 1 ? found[0]! : -1;
  const choice = choices[index];
  return choice ? { value: choice.value, index, score: 1, synonym: text } : undefined;
}

/** A message that is a number alone: the option at that position («2», «2.», «2)»). */
const POSITION = /^\s*(\d{1,3})\s*[.)]?\s*$/;

/**
 * Whether a name reads as `text` (plain text alike; a text of symbols only, such as 👍, names a name of the
 * same symbols). Undefined for a text with neither letters, digits nor symbols, which names nothing.
 */
function namer(text: string): ((name: unknown) => boolean) | undefined {
  const said = plain(text);
  const sign = said === '' ? symbols(text) : '';
  if (said === '' && sign === '') return undefined;
  return (name) =>
    typeof name === 'string' &&
    (said === '' ? plainOption(name) === '' && symbols(name) === sign : plainOption(name) === said);
}

class ExactChoicePrompt extends ChoicePrompt {
  constructor(id: string) {
    super(id, undefined, 'es-es');
    this.style = ListStyle.suggestedAction;
  }

  protected override onRecognize(
    context: TurnContext,
    _state: object,
    options: PromptOptions,
  ): Promise<PromptRecognizerResult<FoundChoice>> {
    const found = exactChoice(context.activity.text, (options.choices ?? []) as Choice[]);
    return Promise.resolve(found ? { succeeded: true, value: found } : { succeeded: false });
  }

  // Not an answer: nothing is said (the question and its buttons are in the group already).
  protected override async onPrompt(
    context: TurnContext,
    state: object,
    options: PromptOptions,
    isRetry: boolean,
  ): Promise<void> {
    if (!isRetry) await super.onPrompt(context, state, options, isRetry);
  }
}

/** Asks a question in the moderators' room (ROOM_CHOICE); the answer reaches the next step as `chosen(step)`. */
export function askRoomChoice(
  step: WaterfallStepContext,
  text: string,
  options: Option[],
): Promise<DialogTurnResult> {
  return step.prompt(ROOM_CHOICE, {
    prompt: text,
    choices: toChoices(options),
    style: ListStyle.suggestedAction,
  });
}

/** The options of the room question waiting on this stack, if the active dialog is one. */
export function pendingRoomChoices(dc: DialogContext): Choice[] | undefined {
  const active = dc.activeDialog;
  if (active?.id !== ROOM_CHOICE) return undefined;
  return ((active.state as { options?: PromptOptions }).options?.choices ?? []) as Choice[];
}

/**
 * Checks for free text, by name: prompt options are stored with the dialog state (JSON), so a prompt can
 * carry the name of its check but not the function. A check returns a message explaining the problem.
 */
export type TextCheckFn = (ctx: TurnContext, text: string) => string | undefined;
const textChecks = new Map<string, TextCheckFn>();

export function registerTextCheck(name: string, check: TextCheckFn): string {
  textChecks.set(name, check);
  return name;
}

/**
 * Free-text prompts accept typed text only; a button press or an empty message asks again. The answer is
 * cleaned first (cleanText: no NUL or other controls, no lone surrogates), as the check and the next step
 * see it, so no typed text reaches the database in a form PostgreSQL cannot store.
 */
async function validateText(prompt: PromptValidatorContext<string>): Promise<boolean> {
  if (!prompt.recognized.succeeded) return false;
  const text = cleanText(prompt.recognized.value ?? '');
  if (text === '') return false;
  prompt.recognized.value = text;
  const name = (prompt.options.validations as { check?: string } | undefined)?.check;
  const problem = name ? textChecks.get(name)?.(prompt.context, text) : undefined;
  if (problem) {
    // The prompt re-asks with its retry text only if nothing was sent this turn: explain and ask in one.
    prompt.options.retryPrompt = `${problem}\n\n${String(prompt.options.prompt)}`;
    return false;
  }
  return true;
}

/** Asks for free text, checked by a registered check (see registerTextCheck). */
export function askText(step: WaterfallStepContext, text: string, check?: string): Promise<DialogTurnResult> {
  return step.prompt(TEXT, { prompt: text, retryPrompt: text, validations: { check } });
}

export function formatDate(ctx: TurnContext, date: Date, timeZone = 'Europe/Madrid'): string {
  return new Intl.DateTimeFormat(session(ctx).locale === 'en' ? 'en-GB' : 'es-ES', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone,
  }).format(date);
}

/** A waterfall's scratch values (kept across its steps), typed loosely as botbuilder does. */
export const vals = (step: WaterfallStepContext): Record<string, unknown> =>
  step.values as Record<string, unknown>;

/**
 * A flow is a waterfall registered in the engine's single dialog set; flows begin each other by id on one
 * stack. (Nested ComponentDialogs lose sight of sibling dialogs when re-prompted after an interruption.)
 */
export abstract class Flow extends WaterfallDialog {
  protected define(...steps: WaterfallStep[]): void {
    for (const step of steps) this.addStep(step);
  }
}
