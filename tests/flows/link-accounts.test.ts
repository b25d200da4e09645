// «Vincular cuentas» as people live it: a code shown on Telegram, typed on the web chat, two digits typed
// back on Telegram — and nothing joined when someone else types the code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withdrawConsent } from '../../src/domain/withdraw-consent.ts';
import { Chat, consentSteps, englishConsentSteps, press, script } from '../support/conversation.ts';
import { createProcess, createProposal, createProposals } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(() => plaza?.cleanup());

async function consenting(channelId: 'telegram' | 'webchat') {
  const chat = new Chat(plaza.engine, { channelId });
  await script(chat, consentSteps);
  return chat;
}

const participantOf = async (chat: Chat) =>
  (
    await db().channelAccount.findFirstOrThrow({
      where: { channel: chat.channelId, externalId: chat.userId },
    })
  ).participantId;

/** Telegram shows a code; returns it as shown ("123 456"). */
async function showCode(chat: Chat): Promise<string> {
  await script(chat, [
    ['vincular', [/puedes unir las dos cuentas/, /¿Qué quieres hacer\?/]],
    [
      press('Mostrar un código aquí'),
      /Tu código es \d{3} \d{3}\. Escríbelo tú en el otro canal antes de 10 minutos \(no se lo des a nadie\)/,
    ],
  ]);
  return /Tu código es (\d{3} \d{3})/.exec(chat.text())![1]!;
}

/** The web chat types a code; returns the two digits it was given. */
async function typeCode(chat: Chat, code: string): Promise<string> {
  await script(chat, [
    ['vincular', /¿Qué quieres hacer\?/],
    [press('Tengo un código'), /Escribe el código de 6 cifras/],
    [
      code,
      [
        /Correcto\. Para terminar, vuelve a Telegram y escribe allí este número: \d{2}\./,
        /no se lo des a nadie/,
      ],
    ],
  ]);
  return /este número: (\d{2})/.exec(chat.text())![1]!;
}

describe('linking accounts in chat', () => {
  it('joins a Telegram and a web chat participant after the code and the digits; supports count once', async () => {
    const process = await createProcess(db(), { supportsPerParticipant: 5 });
    const [a, b] = await createProposals(db(), process, 2);
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const [older, newer] = [await participantOf(telegram), await participantOf(web)];
    await db().support.createMany({
      data: [
        { proposalId: a!, participantId: older },
        { proposalId: a!, participantId: newer },
        { proposalId: b!, participantId: newer },
      ],
    });

    const code = await showCode(telegram);
    const wrong = String((Number(code.replace(' ', '')) + 1) % 1_000_000).padStart(6, '0');
    await script(web, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Tengo un código'), /Escribe el código de 6 cifras/],
      ['12345', [/El código tiene 6 cifras/, /Escribe el código de 6 cifras/]],
      [wrong, /Ese código no sirve: puede que esté mal escrito, que haya caducado o que ya se haya usado/],
    ]);
    const digits = await typeCode(web, code);
    expect(await db().participant.count({ where: { id: { in: [older, newer] } } })).toBe(2);

    await script(telegram, [
      [
        'hola',
        /Alguien ha escrito tu código de vinculación en el chat web\. Si fuiste tú, escribe aquí el número/,
      ],
      [digits, [/Hecho: ahora eres una sola persona en Telegram y en el chat web/, /¿Qué quieres hacer\?/]],
    ]);
    expect(await participantOf(web)).toBe(older);
    expect(await db().participant.findUnique({ where: { id: newer } })).toBeNull();
    expect(await db().support.count({ where: { proposalId: a! } })).toBe(1);
    expect(await db().support.count({ where: { participantId: older } })).toBe(2);
    // Both channels go on as the one participant.
    await script(web, [['menú', /¿Qué quieres hacer\?/]]);
    await script(telegram, [['menú', /¿Qué quieres hacer\?/]]);
  });

  it('works the other way round: the code shown in the web chat, typed on Telegram', async () => {
    const web = await consenting('webchat');
    const telegram = await consenting('telegram');
    await script(web, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Mostrar un código aquí'), /Tu código es \d{3} \d{3}/],
    ]);
    const code = /Tu código es (\d{3} \d{3})/.exec(web.text())![1]!;
    await script(telegram, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Tengo un código'), /Escribe el código de 6 cifras/],
      [code, /Para terminar, vuelve al chat web y escribe allí este número: \d{2}\./],
    ]);
    const digits = /este número: (\d{2})/.exec(telegram.text())![1]!;
    await script(web, [
      ['hola', /Alguien ha escrito tu código de vinculación en Telegram\./],
      [digits, /Hecho: ahora eres una sola persona en el chat web y en Telegram\./],
    ]);
    // The web chat participant was created first: the Telegram account joins it.
    expect(await participantOf(telegram)).toBe(await participantOf(web));
  });

  it("keeps the language of the one confirming, in the conversation where they confirm, not the older account's", async () => {
    // Spanish on Telegram first (the older participant), English on the web chat later.
    const telegram = await consenting('telegram');
    const web = new Chat(plaza.engine, { channelId: 'webchat' });
    await script(web, englishConsentSteps);
    await script(web, [
      ['link accounts', /What would you like to do\?/],
      [press('Show a code here'), /Your code is \d{3} \d{3}/],
    ]);
    const code = /Your code is (\d{3} \d{3})/.exec(web.text())![1]!;
    await script(telegram, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Tengo un código'), /Escribe el código de 6 cifras/],
      [code, /vuelve al chat web y escribe allí este número: \d{2}\./],
    ]);
    const digits = /este número: (\d{2})/.exec(telegram.text())![1]!;
    await script(web, [
      ['hi', /Someone typed your linking code on Telegram/],
      [
        digits,
        [/Done: you are now one person in the web chat and on Telegram/, /What would you like to do\?/],
      ],
    ]);
    const merged = await participantOf(web);
    expect(await participantOf(telegram)).toBe(merged);
    expect((await db().participant.findUniqueOrThrow({ where: { id: merged } })).locale).toBe('en');
    // The web chat goes on in English…
    await script(web, [
      ['my data', /• Your language: English/],
      ['menu', /What would you like to do\?/],
    ]);
    expect(web.text()).not.toMatch(/¿Qué quieres hacer/);
    // …and so does the Telegram conversation: one person, one language (the latest chosen).
    await script(telegram, [['menú', /What would you like to do\?/]]);
  });

  it('a code claimed after its owner withdrew consent: the owner is onboarded first, not bounced', async () => {
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const code = await showCode(telegram);
    await withdrawConsent(plaza.domain, {
      participantId: await participantOf(telegram),
      channel: 'telegram',
    });
    await typeCode(web, code);
    // Without consent only onboarding runs: the claim waits (it expires unanswered), the chat goes on.
    await script(telegram, [
      ['hola', /idioma|language/i],
      [press('Español'), /14 años o más/],
    ]);
    expect(telegram.text()).not.toMatch(/Alguien ha escrito tu código|algo ha fallado/);
  });

  it('confirms at once when the first message back is the two digits', async () => {
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const digits = await typeCode(web, await showCode(telegram));
    await script(telegram, [[digits, /Hecho: ahora eres una sola persona en Telegram y en el chat web/]]);
    expect(await participantOf(web)).toBe(await participantOf(telegram));
  });

  it('joins nothing when the owner says it was not them, or types other digits', async () => {
    const owner = await consenting('telegram');
    const someone = await consenting('webchat');
    const code = await showCode(owner);
    await typeCode(someone, code);
    await script(owner, [
      ['buenas', /Alguien ha escrito tu código de vinculación en el chat web/],
      ['no', [/no se ha unido nada a tu cuenta y ese código ya no sirve/, /¿Qué quieres hacer\?/]],
    ]);
    expect(await participantOf(someone)).not.toBe(await participantOf(owner));
    // The spent code no longer works for anyone.
    await script(someone, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Tengo un código'), /Escribe el código/],
      [code, /Ese código no sirve/],
    ]);

    const digits = await typeCode(someone, await showCode(owner));
    const other = digits === '10' ? '11' : '10';
    await script(owner, [
      ['hola', /Alguien ha escrito tu código/],
      ['tal vez', /Escribe el número de dos cifras que te mostró el otro canal, o NO/],
      [other, /Ese número no coincide\. Por seguridad, el código ya no sirve y no se ha unido nada/],
    ]);
    expect(await participantOf(someone)).not.toBe(await participantOf(owner));
  });

  it('takes a no in other words, as at any yes/no question, for a refusal', async () => {
    for (const no of ['👎', 'No, gracias', 'nope', 'I don’t accept']) {
      const owner = await consenting('telegram');
      const someone = await consenting('webchat');
      await typeCode(someone, await showCode(owner));
      await script(owner, [
        ['hola', /Alguien ha escrito tu código de vinculación/],
        [no, /no se ha unido nada a tu cuenta y ese código ya no sirve/],
      ]);
      expect(await participantOf(someone)).not.toBe(await participantOf(owner));
    }
  });

  it('takes a code typed at the first question as the code; other text there is asked again', async () => {
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const code = await showCode(telegram);
    await script(web, [
      ['vincular', /¿Qué quieres hacer\?/],
      ['12345', [/No te he entendido/, /¿Qué quieres hacer\?/]],
      [
        code.replace(' ', '-'),
        /Correcto\. Para terminar, vuelve a Telegram y escribe allí este número: \d{2}\./,
      ],
    ]);
    const digits = /este número: (\d{2})/.exec(web.text())![1]!;
    await script(telegram, [[digits, /Hecho: ahora eres una sola persona/]]);
    expect(await participantOf(web)).toBe(await participantOf(telegram));
  });

  it('offers a way back to the menu from its first question', async () => {
    const chat = await consenting('webchat');
    await script(chat, [['vincular', /¿Qué quieres hacer\?/]]);
    expect(chat.buttons()).toEqual(['Mostrar un código aquí', 'Tengo un código', 'Menú']);
    await script(chat, [[press('Menú'), /¿Qué quieres hacer\?/]]);
    expect(chat.buttons()).toContain('Hacer una propuesta');
  });

  it('names the supports dropped over a limit, to the one confirming and, at their next message, in the other channel', async () => {
    const process = await createProcess(db(), {
      supportsPerParticipant: 1,
      title: 'Presupuestos del barrio',
    });
    const kept = await createProposal(db(), process, { title: 'Carril bici en la avenida' });
    const lost = await createProposal(db(), process, { title: 'Bancos en la plaza' });
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    await db().support.create({ data: { proposalId: kept, participantId: await participantOf(telegram) } });
    const digits = await typeCode(web, await showCode(telegram));
    // The web chat supports another one meanwhile, and is left at that proposal.
    await script(web, [
      [`/start proposal_${lost}`, /Bancos en la plaza/],
      [press('Apoyar'), /Apoyo registrado/],
    ]);
    await script(telegram, [
      [
        digits,
        [
          /Hecho: ahora eres una sola persona/,
          /superabas el límite de 1 apoyo por persona en «Presupuestos del barrio»/,
          /hemos quitado tu apoyo más reciente: «Bancos en la plaza»/,
        ],
      ],
    ]);
    expect(telegram.text()).not.toMatch(/\(1\)|1 apoyos/);
    expect(await db().support.count({ where: { proposalId: lost } })).toBe(0);
    // The web chat hears it at its next message, before anything else.
    await script(web, [
      [
        'hola',
        [
          /Tus cuentas ya están unidas: eres una sola persona en los dos canales/,
          /hemos quitado tu apoyo más reciente: «Bancos en la plaza»/,
          /¿Qué quieres hacer\?/,
        ],
      ],
    ]);
    // Told once.
    await script(web, [['menú', /¿Qué quieres hacer\?/]]);
    expect(web.text()).not.toMatch(/Bancos en la plaza/);
  });

  it('names every support dropped, in the plural', async () => {
    const process = await createProcess(db(), { supportsPerParticipant: 2, title: 'Presupuestos 2030' });
    const ids = [];
    for (const title of ['Uno', 'Dos', 'Tres', 'Cuatro'])
      ids.push(await createProposal(db(), process, { title: `Propuesta ${title}` }));
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const [older, newer] = [await participantOf(telegram), await participantOf(web)];
    const at = (s: number) => new Date(Date.now() - 60_000 + s * 1000);
    await db().support.createMany({
      data: [
        { proposalId: ids[0]!, participantId: older, createdAt: at(1) },
        { proposalId: ids[1]!, participantId: newer, createdAt: at(2) },
        { proposalId: ids[2]!, participantId: older, createdAt: at(3) },
        { proposalId: ids[3]!, participantId: newer, createdAt: at(4) },
      ],
    });
    const digits = await typeCode(web, await showCode(telegram));
    await script(telegram, [
      [
        digits,
        [
          /superabas el límite de 2 apoyos por persona en «Presupuestos 2030»/,
          /hemos quitado tus 2 apoyos más recientes: «Propuesta Tres» y «Propuesta Cuatro»/,
        ],
      ],
    ]);
  });

  it('after «idioma» in one channel, the other asks its waiting question again in the new language', async () => {
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const digits = await typeCode(web, await showCode(telegram));
    await script(telegram, [[digits, /Hecho: ahora eres una sola persona/]]);
    await script(web, [['menú', /¿Qué quieres hacer\?/]]);
    await script(telegram, [
      ['idioma', /Which language/],
      [press('English'), [/We'll talk in English/, /What would you like to do\?/]],
    ]);
    // A greeting: greeted and asked in English, buttons included.
    await script(web, [['hola', [/Hello!/, /What would you like to do\?/]]]);
    expect(web.text()).not.toMatch(/¿Qué quieres hacer|¡Hola!/);
    expect(web.buttons()).toContain('Make a proposal');
    await script(web, [['qwerty', [/Sorry, I didn't get that/, /What would you like to do\?/]]]);
    expect(web.text()).not.toMatch(/No te he entendido|¿Qué quieres hacer/);
  });

  it('after «idioma» in one channel, an answer to the other’s waiting question still counts, and goes on in the new language', async () => {
    const telegram = await consenting('telegram');
    const web = await consenting('webchat');
    const digits = await typeCode(web, await showCode(telegram));
    await script(telegram, [[digits, /Hecho: ahora eres una sola persona/]]);
    await script(web, [['menú', /¿Qué quieres hacer\?/]]);
    await script(telegram, [
      ['idioma', /Which language/],
      [press('English'), /We'll talk in English/],
    ]);
    // The Spanish menu is still on the web chat's screen: its button works, and the answer is in English.
    await script(web, [[press('Mis datos'), /This is what Plaza keeps about you/]]);
    expect(web.text()).not.toMatch(/Esto es lo que Plaza/);
  });

  it('after linking switches the language, the other conversation greets and asks in the new one', async () => {
    // Spanish on Telegram, English on the web chat, where the linking is confirmed: English wins.
    const telegram = await consenting('telegram');
    const web = new Chat(plaza.engine, { channelId: 'webchat' });
    await script(web, englishConsentSteps);
    await script(web, [
      ['link accounts', /What would you like to do\?/],
      [press('Show a code here'), /Your code is \d{3} \d{3}/],
    ]);
    const code = /Your code is (\d{3} \d{3})/.exec(web.text())![1]!;
    await script(telegram, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Tengo un código'), /Escribe el código de 6 cifras/],
      [code, /este número: \d{2}\./],
    ]);
    const digits = /este número: (\d{2})/.exec(telegram.text())![1]!;
    // Telegram waits at the menu, in Spanish.
    await script(telegram, [['menú', /¿Qué quieres hacer\?/]]);
    await script(web, [
      ['hi', /Someone typed your linking code on Telegram/],
      [digits, /Done: you are now one person/],
    ]);
    await script(telegram, [['hola', [/Hello!/, /What would you like to do\?/]]]);
    expect(telegram.text()).not.toMatch(/¿Qué quieres hacer|¡Hola!/);
    expect(telegram.buttons()).toContain('Make a proposal');
  });

  it('tells someone who has not consented to take part first, and someone typing their own code where to type it', async () => {
    const stranger = new Chat(plaza.engine, { channelId: 'webchat' });
    await script(stranger, [['vincular', /primero acepta participar en este canal/]]);
    const telegram = await consenting('telegram');
    const code = await showCode(telegram);
    await script(telegram, [
      ['vincular', /¿Qué quieres hacer\?/],
      [press('Tengo un código'), /Escribe el código/],
      [code, /Ese código lo pediste desde esta misma cuenta: escríbelo en el otro canal/],
    ]);
  });
});
