// A process's final report and open data, for staff and admins (moderators get 403). admin-router.ts mounts
// it at `/processes`, next to the processes router, behind bearerAuth and requireRole(REPORT_ROLES):
//
//   GET /processes/:id/report?locale=es|en            printable HTML (Spanish unless `locale=en`)
//   GET /processes/:id/open-data.json                 anonymised figures and tables (export-open-data.ts)
//   GET /processes/:id/open-data.csv?table=<name>     one of those tables as CSV (RFC 4180, UTF-8 with a BOM)
//
// Contract: strict query schemas (an unknown field or a bad value answers 422 `{ error: 'invalid-request',
// fields: [{ path, message }] }`); an id that is not a database id, or no such process: 404
// `{ error: 'not-found' }`. Errors are JSON like the rest of the admin API — except for a browser signed in
// by the dashboard's session that asks for HTML (the dashboard links here): it gets the same status with a
// page in its language and a way back (answersAsPage, auth.ts). The HTML report carries a
// Content-Security-Policy that allows no script and loads nothing.
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { DomainDeps } from '../domain/deps.ts';
import {
  exportOpenData,
  OPEN_DATA_TABLE_NAMES,
  OPEN_DATA_TABLES,
  type OpenData,
  type OpenDataTable,
} from '../domain/export-open-data.ts';
import { getProcessReport } from '../domain/get-process-report.ts';
import type { StaffRole } from '../generated/prisma/enums.ts';
import type { Logger } from '../logger.ts';
import { answersAsPage, staffOf } from './auth.ts';
import { localeOf, sendMessagePage } from './dashboard/browser.ts';
import { LABELS, type Labels } from './dashboard/labels.ts';
import type { MessageLink } from './dashboard/render.ts';
import { ANSWERS, fieldErrors, idParam, idParams, invalid, notFound } from './http-answers.ts';
import { toCsv } from './open-data-csv.ts';
import { REPORT_CSP, renderReportHtml } from './report-html.ts';
import { renderReportCharts } from '../charts/report-charts.ts';
import type { AdminRouteSpec } from './route-spec.ts';

/** Who may read reports and export open data. */
export const REPORT_ROLES: readonly StaffRole[] = ['admin', 'staff'];

export interface ReportsRouterDeps {
  domain: DomainDeps;
  logger: Logger;
}

const reportQuery = z.strictObject({
  locale: z.enum(['es', 'en']).optional(),
});
const jsonQuery = z.strictObject({});
const csvQuery = z.strictObject({
  table: z.enum(OPEN_DATA_TABLE_NAMES as [OpenDataTable, ...OpenDataTable[]]),
});

/** The endpoints this router serves, relative to /admin (admin-router.ts mounts it at /processes). */
export const reportRoutes: AdminRouteSpec[] = [
  {
    method: 'get',
    path: '/processes/:id/report',
    summary: "The process's final report: a printable HTML page (Spanish, or English with `locale=en`)",
    description:
      'Served with a Content-Security-Policy that allows no script. Charts may be embedded as inline SVG.',
    roles: REPORT_ROLES,
    params: idParams,
    query: reportQuery,
    produces: 'text/html',
    responses: { 200: 'The report page', 404: ANSWERS.notFound, 422: ANSWERS.invalid },
  },
  {
    method: 'get',
    path: '/processes/:id/open-data.json',
    summary: "The process's anonymised open data: its figures and every table",
    description:
      'No names, channel ids, participant or staff ids; only public proposals and comments; participation ' +
      'at day precision. The same tables one by one: open-data.csv.',
    roles: REPORT_ROLES,
    params: idParams,
    query: jsonQuery,
    responses: {
      200: '`{ generatedAt, process, figures, tables }`',
      404: ANSWERS.notFound,
      422: ANSWERS.invalid,
    },
  },
  {
    method: 'get',
    path: '/processes/:id/open-data.csv',
    summary: `One anonymised open-data table as CSV (RFC 4180): \`table\` is one of ${OPEN_DATA_TABLE_NAMES.join(', ')}`,
    description:
      'Text cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe so spreadsheets ' +
      'do not run them as formulas.',
    roles: REPORT_ROLES,
    params: idParams,
    query: csvQuery,
    produces: 'text/csv',
    responses: {
      200: 'The table, with a header row; UTF-8 starting with a byte-order mark (so Excel reads accents right)',
      404: ANSWERS.notFound,
      422: ANSWERS.invalid,
    },
  },
];

/**
 * A refusal: JSON for the API, a page for a browser signed in by the dashboard's session. `links`: what the
 * page offers instead (the open-data tables when none was named).
 */
function refuse(
  req: Request,
  res: Response,
  refusal: { status: 404 } | { status: 422; answer: () => void },
  text: (t: Labels) => string,
  links?: (t: Labels) => { intro: string; links: MessageLink[] },
): void {
  if (!answersAsPage(req, res)) return refusal.status === 404 ? notFound(res) : refusal.answer();
  const locale = localeOf(req, req.query.locale);
  const t = LABELS[locale];
  sendMessagePage(res, refusal.status, { locale, text: text(t), ...links?.(t) });
}

const notFoundText = (t: Labels) => t.processNotFound;

export function createReportsRouter(deps: ReportsRouterDeps): Router {
  const log = deps.logger.child({ module: 'admin-reports' });
  const router = express.Router();

  router.get('/:id/report', async (req, res) => {
    const processId = idParam(req);
    if (processId === undefined) return refuse(req, res, { status: 404 }, notFoundText);
    const query = reportQuery.safeParse(req.query);
    if (!query.success)
      return refuse(
        req,
        res,
        { status: 422, answer: () => invalid(res, fieldErrors(query.error, 'query')) },
        (t) => t.badReportQuery,
        (t) => ({
          intro: t.reportIn,
          links: (['es', 'en'] as const).map((l) => ({
            href: `${req.baseUrl}/${processId}/report${l === 'es' ? '' : `?locale=${l}`}`,
            text: t.languageNames[l],
          })),
        }),
      );
    const result = await getProcessReport(deps.domain, { processId });
    if (!result.ok) return refuse(req, res, { status: 404 }, notFoundText);
    log.info({ processId, staffId: staffOf(res).id }, 'process report');
    const locale = query.data.locale ?? 'es';
    // A chart that cannot be drawn leaves the figures' tables, which say the same.
    const charts = await renderReportCharts(result.report, locale).catch((error: unknown) => {
      log.warn({ err: error, processId }, 'report charts not drawn');
      return {};
    });
    res.set('Content-Security-Policy', REPORT_CSP);
    res.type('text/html; charset=utf-8');
    res.send(renderReportHtml(result.report, { locale, charts }));
  });

  /** The open-data downloads of a process, for a page that offers them. */
  const openDataLinks = (req: Request, processId: number) => (t: Labels) => ({
    intro: t.chooseTable,
    links: [
      ...OPEN_DATA_TABLE_NAMES.map((table) => ({
        href: `${req.baseUrl}/${processId}/open-data.csv?table=${table}`,
        text: table,
      })),
      { href: `${req.baseUrl}/${processId}/open-data.json`, text: t.wholeOpenData },
    ],
  });

  /**
   * What both open-data routes read: the process and the query (`schema`), refused as the report is (404 for
   * an unknown process, 422 for a bad query with links to the right addresses), and the export.
   */
  async function openData<Q extends z.ZodType>(
    req: Request,
    res: Response,
    schema: Q,
  ): Promise<{ query: z.infer<Q>; data: OpenData } | undefined> {
    const processId = idParam(req);
    if (processId === undefined) return void refuse(req, res, { status: 404 }, notFoundText);
    const query = schema.safeParse(req.query);
    if (!query.success)
      return void refuse(
        req,
        res,
        { status: 422, answer: () => invalid(res, fieldErrors(query.error, 'query')) },
        (t) => t.badOpenDataQuery,
        openDataLinks(req, processId),
      );
    const result = await exportOpenData(deps.domain, { processId });
    if (!result.ok) return void refuse(req, res, { status: 404 }, notFoundText);
    return { query: query.data, data: result.data };
  }

  router.get('/:id/open-data.json', async (req, res) => {
    const found = await openData(req, res, jsonQuery);
    if (!found) return;
    log.info({ processId: found.data.process.id, staffId: staffOf(res).id }, 'open data export (json)');
    attachment(res, `${fileStem(found.data.process.slug)}.json`);
    res.json(found.data);
  });

  router.get('/:id/open-data.csv', async (req, res) => {
    const found = await openData(req, res, csvQuery);
    if (!found) return;
    const table = found.query.table;
    log.info({ processId: found.data.process.id, table, staffId: staffOf(res).id }, 'open data export (csv)');
    attachment(res, `${fileStem(found.data.process.slug)}-${table}.csv`);
    res.type('text/csv; charset=utf-8; header=present');
    res.send(toCsv(OPEN_DATA_TABLES[table], found.data.tables[table]));
  });

  return router;
}

/** A file name made only of safe characters, whatever the slug holds. */
function fileStem(slug: string): string {
  return `plaza-${slug.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80)}-open-data`;
}

function attachment(res: Response, filename: string): void {
  res.set('Content-Disposition', `attachment; filename="${filename}"`);
}
