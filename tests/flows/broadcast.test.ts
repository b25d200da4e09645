import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_BUTTON_EVENT } from '../../src/engine/engine.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createStaffMember, type ProcessFixture } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';
import { createSubscriber } from '../support/subscribers.ts';

let plaza: TestPlaza;
let process_: ProcessFixture;
beforeAll(async () => {
  plaza = await createTestPlaza();
  const db = plaza.database.prisma;
  await createProcess(db, { title: 'Proceso sin suscripciones' });
  process_ = await createProcess(db, { title: 'Proceso con suscripciones' });
  await createSubscriber(db, process_.id, { channel: 'telegram', locale: 'es' });
  await createSubscriber(db, process_.id, { channel: 'telegram', locale: 'es' });
  await createSubscriber(db, process_.id, { channel: 'webchat', locale: 'en' });
  // Subscribed, but without consent to updates: never counted.
  await createSubscriber(db, process_.id, { channel: 'telegram', locale: 'en', updates: false });
});
afterAll(() => plaza?.cleanup());

const SPANISH = 'Mañana a las 18:00 presentamos los resultados en el ayuntamiento. ¡Os esperamos!';
const ENGLISH = 'Tomorrow at 18:00 we present the results at the town hall. See you there!';

/** A private Telegram chat with a staff member who is not a participant. */
async function staffChat(role: 'staff' | 'admin' | 'moderator' = 'staff', opts: { disabled?: boolean } = {}) {
  const staff = await createStaffMember(plaza.database.prisma, { role, disabled: opts.disabled });
  const chat = new Chat(plaza.engine, {
    channelId: 'telegram',
    userId: staff.telegramUserId,
    conversationId: staff.telegramUserId,
  });
  return { staff, chat };
}

const broadcastsOf = (processId: number) =>
  plaza.database.prisma.broadcast.findMany({ where: { processId }, orderBy: { id: 'asc' } });
const broadcastCount = () => plaza.database.prisma.broadcast.count();
const jobOf = (id: number) => plaza.queues.broadcasts.getJob(`broadcast-${id}`);

/** The day, month, year and time of `at` on Madrid's clock, as typed and as Intl shows it. */
function madrid(at: Date) {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Madrid',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}`;
}

describe('/difundir', () => {
  it('walks process → audience → texts → preview with the count → now → confirm, and starts the broadcast', async () => {
    const { staff, chat } = await staffChat();
    const before = (await broadcastsOf(process_.id)).length;
    await script(chat, [
      [
        '/difundir',
        [
          /Vas a preparar una difusión/,
          /¿Para las personas suscritas a qué proceso\?/,
          /Proceso con suscripciones/,
          /Proceso sin suscripciones/,
        ],
      ],
      [press('Proceso con suscripciones'), /¿A quién se la envías.*«Proceso con suscripciones»/],
      [press('A todas'), /Escribe el texto en español \(obligatorio, máximo 4000 caracteres\)/],
      ['x'.repeat(4001), [/demasiado largo \(4001 caracteres; máximo 4000\)/, /texto en español/]],
      [SPANISH, [/el texto en inglés/, /pulsa «Omitir»/]],
      [
        ENGLISH,
        [
          'Vista previa: así lo recibirán.',
          `— En español (2 personas):\n📣 Proceso con suscripciones\n\n${SPANISH}`,
          `— En inglés (1 persona):\n📣 Process ${process_.slug}\n\n${ENGLISH}`,
          'Ahora mismo lo recibirían 3 personas: 2 en Telegram, 1 en el chat web.',
          /En el chat web lo verán la próxima vez que escriban/,
          /¿Cuándo la envías\?/,
        ],
      ],
      [
        press('Enviar ahora'),
        /Se enviará ahora a 3 personas suscritas a «Proceso con suscripciones»\. ¿La envías\?/,
      ],
      [press('Enviar'), /Difusión #\d+ en marcha\. Verás su progreso en este chat\./],
    ]);
    const created = await broadcastsOf(process_.id);
    expect(created).toHaveLength(before + 1);
    const broadcast = created.at(-1)!;
    expect(chat.text()).toContain(`Difusión #${broadcast.id} en marcha`);
    expect(broadcast).toMatchObject({
      createdById: staff.id,
      texts: { es: SPANISH, en: ENGLISH },
      audience: {},
      status: 'scheduled',
      scheduledAt: null,
      progressChatId: staff.telegramUserId,
    });
    const job = await jobOf(broadcast.id);
    expect(job?.data).toEqual({ broadcastId: broadcast.id });
    expect(await job?.getState()).toBe('waiting');
    // «Enviar» pressed again (a double tap, resolved by the channel as an expired button): said so, and
    // nothing else — not the citizens' onboarding, for a staff member who is no participant.
    await chat.send({ type: 'event', name: EXPIRED_BUTTON_EVENT });
    expect(chat.text()).toBe('Ese botón ya no es válido. Escribe «menú» para ver qué puedes hacer.');
    expect(await broadcastsOf(process_.id)).toHaveLength(before + 1);
  });

  it('skips the English text: the preview shows English speakers getting the Spanish one', async () => {
    const { chat } = await staffChat('admin');
    await script(chat, [
      ['/broadcast', /¿Para las personas suscritas a qué proceso\?/],
      [press('Proceso con suscripciones'), /¿A quién/],
      [press('Solo en el chat web'), /texto en español/],
      [SPANISH, /Omitir/],
      [
        press('Omitir'),
        [
          `— En español (0 personas):\n📣 Proceso con suscripciones\n\n${SPANISH}`,
          `— En inglés (1 persona), sin texto en inglés: recibirá el de español.\n📣 Process ${process_.slug}\n\n${SPANISH}`,
          'Ahora mismo lo recibiría 1 persona: 1 en el chat web.',
        ],
      ],
      [press('Enviar ahora'), /Se enviará ahora a 1 persona suscrita/],
      [press('Enviar'), /Difusión #\d+ en marcha/],
    ]);
    const broadcast = (await broadcastsOf(process_.id)).at(-1)!;
    expect(broadcast).toMatchObject({ texts: { es: SPANISH }, audience: { channels: ['webchat'] } });
    expect(await jobOf(broadcast.id)).toBeDefined();
  });

  it('cleans typed texts as citizens’ are: a NUL or a lone surrogate never reaches the final «Enviar»', async () => {
    const { chat } = await staffChat();
    await script(chat, [
      ['/difundir', /qué proceso/],
      [press('Proceso con suscripciones'), /¿A quién/],
      [press('A todas'), /texto en español/],
      // Nothing left once cleaned: the same question again.
      ['\u0000\u0000', /Escribe el texto en español/],
      ['Texto con \u0000 nulo y \u202Eoculto', /texto en inglés/],
      [
        'Text with a lone \udc00 surrogate',
        /— En inglés \(1 persona\):\n📣 Process .*\n\nText with a lone \ufffd surrogate/,
      ],
      [press('Enviar ahora'), /Se enviará ahora a 3 personas/],
      [press('Enviar'), /Difusión #\d+ en marcha/],
    ]);
    expect(chat.text()).not.toMatch(/algo ha fallado/);
    const broadcast = (await broadcastsOf(process_.id)).at(-1)!;
    expect(broadcast.texts).toEqual({
      es: 'Texto con  nulo y oculto',
      en: 'Text with a lone \ufffd surrogate',
    });
  });

  it('schedules: refuses text it cannot read, a date that does not exist and the past, then takes a valid time', async () => {
    const { staff, chat } = await staffChat();
    const future = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    const typed = `${madrid(future).slice(0, 10)} 18:30`;
    await script(chat, [
      ['/difundir', /qué proceso/],
      [press('Proceso con suscripciones'), /¿A quién/],
      // Only Spanish speakers: no English question.
      [press('Solo en español'), /texto en español/],
      [SPANISH, ['— En español (2 personas):', /lo recibirían 2 personas: 2 en Telegram\./, /¿Cuándo/]],
      [
        press('Programar'),
        /Escribe el día y la hora del envío, por ejemplo «28\/11 18:30» \(hora de Europe\/Madrid\)/,
      ],
      ['el jueves por la tarde', [/No entiendo esa fecha/, /Escribe el día y la hora del envío/]],
      ['31/04 10:00', [/Esa fecha u hora no existe/, /Escribe el día y la hora del envío/]],
      ['01/01/2020 10:00', [/Esa fecha y hora ya han pasado/, /Escribe el día y la hora del envío/]],
      [
        typed,
        /Se enviará el \d{1,2} de \w+ de \d{4} a las 18:30 \(hora de Europe\/Madrid\) a quienes estén suscritos a «Proceso con suscripciones» en ese momento; ahora son 2 personas\. ¿La programas\?/,
      ],
      [
        press('Programar el envío'),
        /Difusión #\d+ programada para el \d{1,2} de \w+ de \d{4} a las 18:30\. Verás su progreso en este chat/,
      ],
    ]);
    expect(chat.text()).not.toContain('[object Object]');
    const broadcast = (await broadcastsOf(process_.id)).at(-1)!;
    expect(broadcast).toMatchObject({
      createdById: staff.id,
      audience: { locales: ['es'] },
      texts: { es: SPANISH },
      progressChatId: staff.telegramUserId,
    });
    expect(madrid(broadcast.scheduledAt!)).toBe(typed);
    const job = await jobOf(broadcast.id);
    expect(await job?.getState()).toBe('delayed');
    expect(job!.opts.delay).toBeGreaterThan(39 * 24 * 3600 * 1000);
  });

  it('a time that passes while it is being confirmed: asked again, the texts kept', async () => {
    const { chat } = await staffChat();
    const future = new Date(Date.now() + 40 * 24 * 3600 * 1000);
    const typed = `${madrid(future).slice(0, 10)} 18:30`;
    await script(chat, [
      ['/difundir', /qué proceso/],
      [press('Proceso con suscripciones'), /¿A quién/],
      [press('A todas'), /texto en español/],
      [SPANISH, /el texto en inglés/],
      [ENGLISH, /¿Cuándo la envías\?/],
      [press('Programar'), /Escribe el día y la hora del envío/],
      [typed, /¿La programas\?/],
    ]);
    // The staff member answers the next day, after the chosen time.
    const realNow = plaza.domain.now;
    plaza.domain.now = () => new Date(future.getTime() + 2 * 24 * 3600 * 1000);
    try {
      await script(chat, [
        [
          press('Programar el envío'),
          [
            /La hora que elegiste ha pasado mientras confirmabas\. Tus textos se mantienen/,
            /¿Cuándo la envías\?/,
          ],
        ],
      ]);
    } finally {
      plaza.domain.now = realNow;
    }
    const before = (await broadcastsOf(process_.id)).length;
    await script(chat, [
      [press('Enviar ahora'), /Se enviará ahora a 3 personas suscritas a «Proceso con suscripciones»/],
      [press('Enviar'), /Difusión #\d+ en marcha/],
    ]);
    const created = await broadcastsOf(process_.id);
    expect(created).toHaveLength(before + 1);
    expect(created.at(-1)).toMatchObject({
      texts: { es: SPANISH, en: ENGLISH },
      audience: {},
      scheduledAt: null,
    });
  });

  it('with nobody to reach, says so and asks whether to go on or cancel', async () => {
    const { chat } = await staffChat();
    const before = await broadcastCount();
    await script(chat, [
      ['/difundir', /qué proceso/],
      [press('Proceso sin suscripciones'), /¿A quién/],
      [press('A todas'), /texto en español/],
      [SPANISH, /Omitir/],
      [press('Omitir'), [/Ahora mismo no lo recibiría nadie/, /¿Sigues igualmente o cancelas\?/]],
      [press('Cancelar'), /Difusión cancelada\. No se ha enviado nada\./],
    ]);
    expect(await broadcastCount()).toBe(before);
    await script(chat, [
      ['/difundir', /qué proceso/],
      [press('Proceso sin suscripciones'), /¿A quién/],
      [press('A todas'), /texto en español/],
      [SPANISH, /Omitir/],
      [press('Omitir'), /no lo recibiría nadie/],
      [press('Seguir igualmente'), /¿Cuándo la envías\?/],
      [press('Enviar ahora'), /Se enviará ahora a 0 personas/],
      [press('Enviar'), /Difusión #\d+ en marcha/],
    ]);
    expect(await broadcastCount()).toBe(before + 1);
  });

  it('«cancelar» midway leaves without creating anything; the next message is not part of it', async () => {
    const { chat } = await staffChat();
    const before = await broadcastCount();
    await script(chat, [
      ['/difundir', /qué proceso/],
      [press('Proceso con suscripciones'), /¿A quién/],
      [press('A todas'), /texto en español/],
      ['ayuda', [/Estás preparando una difusión/, /texto en español/]],
      [SPANISH, /texto en inglés/],
      ['cancelar', /Difusión cancelada\. No se ha enviado nada\./],
      // Not a participant: plain chat is the onboarding again, not the broadcast.
      ['hola', /Soy Plaza/],
    ]);
    expect(chat.text()).not.toMatch(/Vista previa/);
    expect(await broadcastCount()).toBe(before);
  });

  it('speaks English to a staff member whose Telegram is in English', async () => {
    const staff = await createStaffMember(plaza.database.prisma, { role: 'staff' });
    const chat = new Chat(plaza.engine, {
      channelId: 'telegram',
      userId: staff.telegramUserId,
      locale: 'en-US',
    });
    await script(chat, [
      ['/broadcast', [/prepare a broadcast/, /To which process's subscribers\?/]],
      [press(`Process ${process_.slug}`), /Who do you send it to/],
      [press('English speakers only'), /text in Spanish/],
      [SPANISH, /text in English/],
      [
        ENGLISH,
        [`— In English (1 person):\n📣 Process ${process_.slug}\n\n${ENGLISH}`, /When do you send it\?/],
      ],
      ['cancel', /Broadcast cancelled\. Nothing was sent\./],
    ]);
  });

  it('is refused to moderators, disabled staff, citizens, other channels and groups, and never runs', async () => {
    const before = await broadcastCount();
    const { chat: moderator } = await staffChat('moderator');
    await script(moderator, [
      ['/difundir', [/Solo el personal de la administración puede enviar difusiones/, /Soy Plaza/]],
      ['1', /Responsable|idioma/],
    ]);
    const { chat: disabled } = await staffChat('staff', { disabled: true });
    await script(disabled, [['/difundir', /Solo el personal/]]);

    const citizen = new Chat(plaza.engine, { channelId: 'telegram', userId: '777000111' });
    await script(citizen, [...consentSteps, ['/difundir', [/Solo el personal/, /¿Qué quieres hacer\?/]]]);
    // A citizen in the middle of something carries on where they were.
    const webCitizen = new Chat(plaza.engine);
    await script(webCitizen, [...consentSteps, ['/broadcast', [/Solo el personal/, /¿Qué quieres hacer\?/]]]);

    // The staff member's Telegram id means nothing on the web chat.
    const { staff } = await staffChat('admin');
    const onWeb = new Chat(plaza.engine, { channelId: 'webchat', userId: staff.telegramUserId });
    await script(onWeb, [['/difundir', /Solo el personal/]]);

    // In a group the bot only says where to find it.
    const { chat: inGroup } = await staffChat('admin');
    await inGroup.send({
      type: 'message',
      text: '/difundir',
      conversation: { id: '-100123', isGroup: true } as never,
    });
    expect(inGroup.text()).toMatch(/Solo puedo atenderte en una conversación privada/);

    // A citizen's "difundir" without the slash is just a word.
    await script(citizen, [['difundir', /No te he entendido|¿Qué quieres hacer\?/]]);
    expect(await broadcastCount()).toBe(before);
  });
});
