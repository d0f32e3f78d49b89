import { trailCsv } from '../../app/integrity/trail.ts';
import type { ChainedEntry } from '../../domain/audit-chain.ts';
import { canSee } from '../../domain/permissions.ts';
import { auditRequest } from '../audit.ts';
import { requirePermission, requireUser, userOf } from '../auth.ts';
import { schemas } from '../json.ts';
import type { ApiContext, RouteModule } from '../context.ts';
import { ApiError } from '../errors.ts';

/** More entries than this in one export: the caller is asked for a shorter range rather than given a cut file. */
export const AUDIT_EXPORT_MAX = 100_000;

/** The item ids an entry is about: its own, and those an audit event lists. */
function itemsOf(entry: ChainedEntry): string[] {
  const listed = Array.isArray(entry.details.itemIds) ? (entry.details.itemIds as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return entry.itemId ? [entry.itemId, ...listed] : listed;
}

/** Drops entries about a recording above the caller's clearance (as if it did not exist). */
async function visibleEntries(ctx: ApiContext, role: Parameters<typeof canSee>[0], entries: ChainedEntry[]): Promise<ChainedEntry[]> {
  const ids = [...new Set(entries.flatMap(itemsOf))];
  if (ids.length === 0) return entries;
  const hidden = new Set((await ctx.items.items(ids)).filter((i) => !canSee(role, i.confidentiality)).map((i) => i.id));
  return hidden.size === 0 ? entries : entries.filter((e) => !itemsOf(e).some((id) => hidden.has(id)));
}

/**
 * What the web page needs besides the evidence routes: its settings (open, like the page itself: a
 * language and a time zone, no evidence), the checklist's vocabulary with its names, and the audit log
 * of a date range as CSV.
 */
export const uiRoutes: RouteModule = (app, ctx) => {
  const { config } = ctx;

  app.get('/ui/settings', { schema: { tags: ['auth'], summary: "the web page's default language and the zone its times are shown in" } }, async () => ({
    locale: config.ui.locale,
    timeZone: config.ui.timeZone,
  }));

  app.get('/api/checklist', { preValidation: requireUser(), schema: { tags: ['register'], summary: 'the recording checklist: valid category/phase pairs, units and retention classes, with their names' } }, async () => {
    const { title, rows, english } = ctx.checklist;
    return {
      title,
      rows: rows.map((r) => ({
        id: r.id, category: r.category, phase: r.phase, unit: r.unit, mandatory: r.mandatory, retentionClass: r.retentionClass, record: r.record,
        labels: {
          'zh-CN': { category: r.categoryLabel, phase: r.phaseLabel, unit: r.unitLabel },
          en: { category: english.categories[r.category] ?? r.category, phase: english.phases[r.phase] ?? r.phase, unit: english.units[r.unit] ?? r.unit },
        },
      })),
    };
  });

  app.get<{ Querystring: { since: string; until: string } }>(
    '/api/audit/export',
    {
      preValidation: requirePermission('audit:read'),
      schema: {
        tags: ['audit'], summary: `the chained log recorded in [since, until) as CSV (at most ${AUDIT_EXPORT_MAX} entries)`,
        querystring: { type: 'object', required: ['since', 'until'], additionalProperties: false, properties: { since: schemas.dateTime, until: schemas.dateTime } },
      },
    },
    async (request, reply) => {
      const since = new Date(request.query.since);
      const until = new Date(request.query.until);
      if (until <= since) throw new ApiError(400, 'invalid-input', '"until" must be after "since"', 'until');
      const found = await ctx.audit.entriesBetween(since, until, AUDIT_EXPORT_MAX + 1);
      const target = `log:${since.toISOString()}..${until.toISOString()}`;
      if (found.length > AUDIT_EXPORT_MAX) {
        await auditRequest(ctx, request, { action: 'audit:read', target, result: 'refused', details: { why: 'too many entries' } });
        throw new ApiError(400, 'range-too-large', `more than ${AUDIT_EXPORT_MAX} entries in this range; export a shorter range`, 'until');
      }
      const entries = await visibleEntries(ctx, userOf(request).role, found);
      await auditRequest(ctx, request, { action: 'audit:read', target, result: 'ok', details: { format: 'csv', entries: entries.length } });
      const name = `audit-${request.query.since.slice(0, 10)}-${request.query.until.slice(0, 10)}.csv`;
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}"`).send(trailCsv(entries));
    },
  );
};
