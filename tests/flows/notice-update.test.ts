// A new privacy notice version: someone who consented to the old one is asked to accept it at their next
// message; declining keeps them out of participation but free to read, see their data and leave.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { publishPrivacyNotice } from '../../src/domain/publish-privacy-notice.ts';
import { Chat, consentSteps, press, script } from '../support/conversation.ts';
import { createStaffMember } from '../support/fixtures.ts';
import { createTestPlaza, type TestPlaza } from '../support/plaza.ts';

let plaza: TestPlaza;
const db = () => plaza.database.prisma;
beforeAll(async () => {
  plaza = await createTestPlaza();
});
afterAll(() => plaza?.cleanup());

describe('a new privacy notice', () => {
  it('is accepted at the next message before anything else; declining leaves reading and leaving open', async () => {
    const chat = new Chat(plaza.engine);
    await script(chat, consentSteps);
    const admin = await createStaffMember(db(), { role: 'admin' });
    const published = await publishPrivacyNotice(plaza.domain, {
      staffMemberId: admin.id,
      texts: {
        es: {
          summary: 'Ahora también guardamos tus inscripciones a talleres.',
          fullText: 'Aviso completo v2.',
        },
        en: { summary: 'We now also keep your workshop registrations.', fullText: 'Full notice v2.' },
      },
    });
    if (!published.ok) throw new Error(published.reason);

    await script(chat, [
      ['menú', /¿Qué quieres hacer\?/],
      [
        press('Procesos'),
        [/Hemos actualizado el aviso de privacidad/, /inscripciones a talleres/, /¿Lo aceptas/],
      ],
      [press('No'), /Hasta que lo aceptes no puedes seguir participando/],
      ['privacidad', /Aviso completo v2\./],
      ['mis datos', /Esto es lo que Plaza guarda sobre ti/],
      ['menú', /¿Qué quieres hacer\?/],
      [press('Procesos'), /¿Lo aceptas/],
      [press('Sí'), [/has aceptado el nuevo aviso/, /¿Qué quieres hacer\?/]],
      [press('Procesos'), /proceso|Proceso/],
    ]);
    const account = await db().channelAccount.findFirstOrThrow({ where: { externalId: chat.userId } });
    const latest = await db().consentRecord.findFirstOrThrow({
      where: { participantId: account.participantId, purpose: 'participation' },
      orderBy: { id: 'desc' },
    });
    expect(latest).toMatchObject({ action: 'given', noticeVersion: published.version });
  });

  it('a greeting does not get past it', async () => {
    // A Plaza of its own: the notice the first test published would change the consent steps here.
    const own = await createTestPlaza();
    onTestFinished(() => own.cleanup());
    const chat = new Chat(own.engine);
    await script(chat, [...consentSteps, ['menú', /¿Qué quieres hacer\?/]]);
    const admin = await createStaffMember(own.database.prisma, { role: 'admin' });
    const published = await publishPrivacyNotice(own.domain, {
      staffMemberId: admin.id,
      texts: {
        es: { summary: 'Cambios en los plazos de conservación.', fullText: 'Aviso completo v3.' },
        en: { summary: 'Changes to how long we keep data.', fullText: 'Full notice v3.' },
      },
    });
    if (!published.ok) throw new Error(published.reason);
    // At the menu's question, «hola» was greeted back and the menu asked again, past the new notice.
    await script(chat, [['hola', [/Hemos actualizado el aviso de privacidad/, /¿Lo aceptas/]]]);
    await script(chat, [['hola', [/¡Hola!/, /¿Lo aceptas/]]]);
  });
});
