// Data a test creates for itself: processes in a chosen phase, published proposals, participants.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/client.ts';
import type { PhaseKind } from '../../src/generated/prisma/enums.ts';

const DAY = 24 * 3600 * 1000;

export interface ProcessFixture {
  id: number;
  slug: string;
  categories: { id: number; key: string }[];
}

export async function createProcess(
  db: Db,
  opts: {
    phase?: PhaseKind;
    acceptsProposals?: boolean;
    supportsPerParticipant?: number;
    title?: string;
  } = {},
): Promise<ProcessFixture> {
  const slug = `p-${randomBytes(5).toString('hex')}`;
  const now = Date.now();
  const p = await db.process.create({
    data: {
      slug,
      title: { es: opts.title ?? `Proceso ${slug}`, en: `Process ${slug}` },
      description: { es: 'Descripción de prueba', en: 'Test description' },
      supportsPerParticipant: opts.supportsPerParticipant ?? 3,
      phases: {
        create: [
          {
            kind: opts.phase ?? 'voting',
            position: 1,
            startsAt: new Date(now - DAY),
            endsAt: new Date(now + 30 * DAY),
            acceptsProposals: opts.acceptsProposals ?? false,
          },
          {
            kind: 'results',
            position: 2,
            startsAt: new Date(now + 30 * DAY),
            endsAt: new Date(now + 60 * DAY),
          },
        ],
      },
      categories: {
        create: [
          { key: 'movilidad', label: { es: 'Movilidad', en: 'Mobility' }, position: 1 },
          { key: 'atencion', label: { es: 'Atención', en: 'Service' }, position: 2 },
        ],
      },
    },
    include: { categories: true },
  });
  return { id: p.id, slug, categories: p.categories.map((c) => ({ id: c.id, key: c.key })) };
}

export async function createProposals(
  db: Db,
  process: ProcessFixture,
  count: number,
  status: 'published' | 'pending' = 'published',
) {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const p = await db.proposal.create({
      data: {
        processId: process.id,
        categoryId: process.categories[0]!.id,
        title: `Propuesta de prueba número ${i + 1}`,
        body: `Texto de la propuesta de prueba número ${i + 1}, con detalle suficiente.`,
        locale: 'es',
        status,
      },
    });
    ids.push(p.id);
  }
  return ids;
}

/** A consenting participant with a web chat account. */
export async function createParticipant(
  db: Db,
  channel = 'webchat',
): Promise<{ id: string; externalId: string }> {
  const externalId = `u-${randomUUID()}`;
  const p = await db.participant.create({
    data: {
      accounts: { create: { channel, externalId } },
      consents: { create: { purpose: 'participation', action: 'given', noticeVersion: 1, channel } },
    },
  });
  return { id: p.id, externalId };
}

/** One proposal with the given status, author and title (createProposals makes anonymous ones in bulk). */
export async function createProposal(
  db: Db,
  process: ProcessFixture,
  opts: {
    status?: 'pending' | 'published' | 'rejected' | 'withdrawn' | 'selected' | 'not_selected';
    authorId?: string;
    title?: string;
    categoryId?: number;
  } = {},
): Promise<number> {
  const p = await db.proposal.create({
    data: {
      processId: process.id,
      categoryId: opts.categoryId ?? process.categories[0]!.id,
      authorId: opts.authorId ?? null,
      title: opts.title ?? `Propuesta ${randomBytes(3).toString('hex')}`,
      body: 'Texto de la propuesta de prueba, con detalle suficiente.',
      locale: 'es',
      status: opts.status ?? 'published',
    },
    select: { id: true },
  });
  return p.id;
}

/** A staff member (default: an active moderator with a random Telegram user id). */
export async function createStaffMember(
  db: Db,
  opts: {
    name?: string;
    role?: 'admin' | 'staff' | 'moderator';
    telegramUserId?: string;
    disabled?: boolean;
  } = {},
): Promise<{ id: string; name: string; telegramUserId: string }> {
  const telegramUserId = opts.telegramUserId ?? String(1_000_000 + Math.floor(Math.random() * 1e9));
  const s = await db.staffMember.create({
    data: {
      name: opts.name ?? `Mod ${randomBytes(2).toString('hex')}`,
      role: opts.role ?? 'moderator',
      telegramUserId,
      disabledAt: opts.disabled ? new Date() : null,
    },
  });
  return { id: s.id, name: s.name, telegramUserId };
}

/** A proposal with its open `submitted` moderation case (as submit-proposal leaves it). */
export async function createCase(
  db: Db,
  process: ProcessFixture,
  opts: { status?: 'pending' | 'published'; authorId?: string; title?: string; body?: string } = {},
): Promise<{ caseId: number; proposalId: number }> {
  const p = await db.proposal.create({
    data: {
      processId: process.id,
      categoryId: process.categories[0]!.id,
      authorId: opts.authorId ?? null,
      title: opts.title ?? `Propuesta ${randomBytes(3).toString('hex')}`,
      body: opts.body ?? 'Texto de la propuesta de prueba, con detalle suficiente.',
      locale: 'es',
      status: opts.status ?? 'pending',
      cases: { create: { processId: process.id, itemKind: 'proposal', reason: 'submitted' } },
    },
    select: { id: true, cases: { select: { id: true } } },
  });
  return { caseId: p.cases[0]!.id, proposalId: p.id };
}

/**
 * `count` participants subscribed to a process's updates (participation and updates consent given), each
 * with one account on `channel`; Telegram external ids are numeric chat ids. Created in bulk.
 */
export async function createSubscribers(
  db: Db,
  process: ProcessFixture,
  count: number,
  opts: { channel?: 'telegram' | 'webchat'; locale?: 'es' | 'en' } = {},
): Promise<{ id: string; externalId: string }[]> {
  const channel = opts.channel ?? 'telegram';
  const people = Array.from({ length: count }, () => ({
    id: randomUUID(),
    externalId:
      channel === 'telegram' ? String(2_000_000_000 + Math.floor(Math.random() * 7e9)) : `u-${randomUUID()}`,
  }));
  for (let i = 0; i < people.length; i += 1000) {
    const batch = people.slice(i, i + 1000);
    await db.participant.createMany({ data: batch.map((p) => ({ id: p.id, locale: opts.locale ?? 'es' })) });
    await db.channelAccount.createMany({
      data: batch.map((p) => ({ participantId: p.id, channel, externalId: p.externalId })),
    });
    await db.consentRecord.createMany({
      data: batch.flatMap((p) =>
        (['participation', 'updates'] as const).map((purpose) => ({
          participantId: p.id,
          purpose,
          action: 'given' as const,
          noticeVersion: 1,
          channel,
        })),
      ),
    });
    await db.subscription.createMany({
      data: batch.map((p) => ({ participantId: p.id, processId: process.id })),
    });
  }
  return people;
}
