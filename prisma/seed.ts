// The demo: a privacy notice (v1, es/en) and one process, "¿Cómo quieres que te atendamos?", open for
// proposals and voting, with a handful of published proposals. Running it twice changes nothing.
import type { Db } from '../src/db/client.ts';

export const DEMO_PROCESS_SLUG = 'como-quieres-que-te-atendamos';
const DAY = 24 * 3600 * 1000;

export interface NoticeParty {
  controller: string;
  contact: string;
}

export async function seedPrivacyNotice(db: Db, party: NoticeParty): Promise<void> {
  if (await db.privacyNotice.findFirst({ where: { version: 1 } })) return;
  await db.privacyNotice.createMany({
    data: [
      {
        version: 1,
        locale: 'es',
        summary:
          `• Responsable: ${party.controller}.\n` +
          '• Finalidad: gestionar tu participación (propuestas, apoyos, comentarios) y responderte.\n' +
          '• Base jurídica: tu consentimiento (art. 6.1.a RGPD); puedes retirarlo cuando quieras.\n' +
          '• Conservación: mientras dure el proceso y hasta un año de inactividad.\n' +
          '• Derechos: acceso, rectificación, supresión, oposición, limitación y portabilidad; reclamación ante la AEPD.\n' +
          `• Contacto: ${party.contact}.`,
        fullText:
          `Responsable del tratamiento: ${party.controller}. Contacto del delegado de protección de datos: ${party.contact}.\n\n` +
          'Finalidad: gestionar tu participación en los procesos participativos (registrar tus propuestas, apoyos y ' +
          'comentarios, moderarlos y comunicarte su resultado). Tus propuestas y comentarios publicados son públicos; ' +
          'tu identidad en la plataforma de mensajería no se publica.\n\n' +
          'Base jurídica: tu consentimiento (art. 6.1.a del RGPD y art. 6 de la LOPDGDD). Puedes retirarlo en ' +
          'cualquier momento escribiendo «retirar consentimiento», sin que ello afecte a la licitud del tratamiento previo.\n\n' +
          'Edad: solo pueden consentir por sí mismas las personas de 14 años o más (art. 7 LOPDGDD).\n\n' +
          'Destinatarios: no se ceden datos a terceros salvo obligación legal. Los mensajes se transmiten a través de ' +
          'la plataforma que elijas (Telegram o el chat web de esta administración).\n\n' +
          'Conservación: mientras dure el proceso y, después, hasta un año sin actividad; luego se suprimen.\n\n' +
          'Derechos: acceso, rectificación, supresión, oposición, limitación del tratamiento y portabilidad, ' +
          `escribiendo a ${party.contact}. Si crees que no se han atendido, puedes reclamar ante la Agencia ` +
          'Española de Protección de Datos (www.aepd.es).',
      },
      {
        version: 1,
        locale: 'en',
        summary:
          `• Controller: ${party.controller}.\n` +
          '• Purpose: to manage your participation (proposals, supports, comments) and answer you.\n' +
          '• Legal basis: your consent (GDPR art. 6.1.a); you can withdraw it at any time.\n' +
          '• Retention: while the process lasts and up to one year of inactivity.\n' +
          '• Rights: access, rectification, erasure, objection, restriction and portability; complaint to the AEPD.\n' +
          `• Contact: ${party.contact}.`,
        fullText:
          `Controller: ${party.controller}. Data protection officer: ${party.contact}.\n\n` +
          'Purpose: to manage your participation in participatory processes (record your proposals, supports and ' +
          'comments, moderate them and tell you their outcome). Published proposals and comments are public; your ' +
          'messaging identity is never published.\n\n' +
          'Legal basis: your consent (GDPR art. 6.1.a, LOPDGDD art. 6). You may withdraw it at any time by writing ' +
          '"withdraw consent"; this does not affect processing carried out before.\n\n' +
          'Age: only people aged 14 or over may consent by themselves (LOPDGDD art. 7).\n\n' +
          'Recipients: no data is shared with third parties unless the law requires it. Messages travel through the ' +
          "platform you choose (Telegram or this administration's web chat).\n\n" +
          'Retention: while the process lasts and afterwards up to one year without activity; then it is erased.\n\n' +
          `Rights: access, rectification, erasure, objection, restriction and portability, by writing to ${party.contact}. ` +
          'You may complain to the Spanish Data Protection Agency (www.aepd.es).',
      },
    ],
    skipDuplicates: true,
  });
}

const CATEGORIES = [
  { key: 'presencial', es: 'Atención presencial', en: 'Face-to-face service' },
  { key: 'telefono-chat', es: 'Teléfono y chat', en: 'Phone and chat' },
  { key: 'tramites', es: 'Trámites en línea', en: 'Online procedures' },
  { key: 'accesibilidad', es: 'Accesibilidad', en: 'Accessibility' },
];

const PROPOSALS: { category: string; title: string; body: string }[] = [
  {
    category: 'presencial',
    title: 'Cita previa también por la tarde',
    body: 'Abrir franjas de cita previa de 16:00 a 19:00 al menos dos días por semana para quienes trabajan por la mañana.',
  },
  {
    category: 'tramites',
    title: 'Un único formulario para cambiar de domicilio',
    body: 'Que al cambiar de domicilio baste con avisar una vez y se actualice en todos los servicios de la administración.',
  },
  {
    category: 'telefono-chat',
    title: 'Devolver la llamada en lugar de esperar',
    body: 'Cuando las líneas estén ocupadas, ofrecer que te llamen en cuanto haya alguien disponible, sin perder el turno.',
  },
  {
    category: 'accesibilidad',
    title: 'Lectura fácil en todas las notificaciones',
    body: 'Acompañar cada carta o notificación oficial de un resumen en lectura fácil con lo que hay que hacer y el plazo.',
  },
  {
    category: 'tramites',
    title: 'Avisos por mensaje del estado de mi trámite',
    body: 'Recibir un aviso cuando mi expediente cambie de estado, con un enlace para ver qué falta y quién lo lleva.',
  },
  {
    category: 'presencial',
    title: 'Oficinas móviles en los pueblos pequeños',
    body: 'Una oficina itinerante que pase cada semana por los municipios sin oficina propia para hacer trámites en persona.',
  },
];

/** Creates the demo process if it does not exist yet. Returns its id. */
export async function seedDemoProcess(db: Db, now: Date = new Date()): Promise<number> {
  const existing = await db.process.findUnique({ where: { slug: DEMO_PROCESS_SLUG }, select: { id: true } });
  if (existing) return existing.id;
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const process = await db.process.create({
    data: {
      slug: DEMO_PROCESS_SLUG,
      title: { es: '¿Cómo quieres que te atendamos?', en: 'How do you want us to serve you?' },
      description: {
        es: 'Queremos rediseñar la atención a la ciudadanía: oficinas, teléfono, chat y trámites en línea. Cuéntanos qué cambiarías y apoya las propuestas que te parezcan mejores.',
        en: 'We want to redesign how we serve citizens: offices, phone, chat and online procedures. Tell us what you would change and support the proposals you like best.',
      },
      supportsPerParticipant: 3,
      moderationMode: 'pre',
      phases: {
        create: [
          { kind: 'information', position: 1, startsAt: at(-30), endsAt: at(-21) },
          { kind: 'proposals', position: 2, startsAt: at(-21), endsAt: at(-7) },
          { kind: 'voting', position: 3, startsAt: at(-7), endsAt: at(60), acceptsProposals: true },
          { kind: 'results', position: 4, startsAt: at(60), endsAt: at(75) },
          { kind: 'follow_up', position: 5, startsAt: at(75), endsAt: at(440) },
        ],
      },
      categories: {
        create: CATEGORIES.map((c, i) => ({ key: c.key, label: { es: c.es, en: c.en }, position: i + 1 })),
      },
    },
    include: { categories: true },
  });
  const categoryId = new Map(process.categories.map((c) => [c.key, c.id]));
  for (const [i, p] of PROPOSALS.entries()) {
    await db.proposal.create({
      data: {
        processId: process.id,
        categoryId: categoryId.get(p.category)!,
        title: p.title,
        body: p.body,
        locale: 'es',
        status: 'published',
        createdAt: at(-20 + i),
        publishedAt: at(-20 + i),
      },
    });
  }
  return process.id;
}

export async function seedDemo(db: Db, party: NoticeParty, now?: Date): Promise<number> {
  await seedPrivacyNotice(db, party);
  return seedDemoProcess(db, now);
}
