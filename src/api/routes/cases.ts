import { archiveCaseFile, closeCase, fileCase } from '../../app/cases/case-files.ts';
import { buildCaseReport } from '../../app/tagging/case-report.ts';
import { caseReportJson } from '../../app/tagging/contracts.ts';
import { caseFileDue, caseFileStatus } from '../../domain/case-files.ts';
import type { CaseClosure, CaseFileRecord } from '../../ports/case-records.ts';
import { visibleIds } from '../../app/access/clearance.ts';
import type { Role } from '../../domain/people.ts';
import { auditRequest } from '../audit.ts';
import { requirePermission, userOf } from '../auth.ts';
import { schemas } from '../json.ts';
import type { ApiContext, RouteModule } from '../context.ts';
import { asUserInput } from '../user-input.ts';

const caseParams = { type: 'object', required: ['caseId'], properties: { caseId: schemas.code } } as const;

function closureJson(c: CaseClosure) {
  return { caseId: c.caseId, endedAt: c.endedAt.toISOString(), closedAt: c.closedAt.toISOString(), closedBy: c.closedBy, reason: c.reason };
}

/** A closed case's case file: its deadline (30 days after the case ended) and where it stands. */
function caseFileJson(ctx: ApiContext, closure: CaseClosure, file: CaseFileRecord | null) {
  const dueAt = file?.dueAt ?? caseFileDue(closure.endedAt);
  return {
    caseId: closure.caseId,
    caseEndedAt: (file?.caseEndedAt ?? closure.endedAt).toISOString(),
    dueAt: dueAt.toISOString(),
    status: caseFileStatus(dueAt, file, ctx.clock.now()),
    id: file?.id ?? null,
    filedAt: file?.filedAt.toISOString() ?? null,
    filedBy: file?.filedBy ?? null,
    itemCount: file?.itemCount ?? null,
    manifest: file ? { key: file.manifest.key, versionId: file.manifest.versionId, sha256: file.manifestSha256 } : null,
    archivedAt: file?.archivedAt?.toISOString() ?? null,
    archivedBy: file?.archivedBy ?? null,
  };
}

/**
 * The tag store as a role may read it: a case lists only the recordings within the role's clearance (a
 * case whose every trace is above it answers as an unknown case).
 */
function tagsVisibleTo(ctx: ApiContext, role: Role) {
  const { tags, items } = ctx;
  const only = async <T extends { id: string } | string>(rows: T[]): Promise<T[]> => {
    const visible = await visibleIds(items, role, rows.map((r) => (typeof r === 'string' ? r : r.id)));
    return rows.filter((r) => visible.has(typeof r === 'string' ? r : r.id));
  };
  return {
    activitiesOfCase: (caseId: string) => tags.activitiesOfCase(caseId),
    itemsOfCase: async (caseId: string) => only(await tags.itemsOfCase(caseId)),
    itemsWithCandidateCase: async (caseId: string) => only(await tags.itemsWithCandidateCase(caseId)),
  };
}

/** Cases: the compliance report, closing with an end date, and case files (案卷) with their deadline. */
export const caseRoutes: RouteModule = (app, ctx) => {
  const services = ctx;

  app.get<{ Params: { caseId: string } }>(
    '/api/cases/:caseId',
    { preValidation: requirePermission('cases:read'), schema: { tags: ['cases'], summary: "a case: checklist report, closure, case file", params: caseParams } },
    async (request) => {
      const { caseId } = request.params;
      const [report, closure, file] = await Promise.all([
        asUserInput('caseId', () => buildCaseReport({ ...services, tags: tagsVisibleTo(ctx, userOf(request).role) }, caseId)),
        services.records.closure(caseId),
        services.records.caseFileOfCase(caseId),
      ]);
      await auditRequest(ctx, request, { action: 'cases:read', target: `case:${caseId}`, result: 'ok', itemIds: report.recordings.map((r) => r.id) });
      return { report: caseReportJson(report), closure: closure ? closureJson(closure) : null, caseFile: closure ? caseFileJson(ctx, closure, file) : null };
    },
  );

  app.post<{ Params: { caseId: string }; Body: { endedAt: string; reason?: string } }>(
    '/api/cases/:caseId/close',
    {
      preValidation: requirePermission('cases:close'),
      schema: {
        tags: ['cases'], summary: 'close a case with the end of its enforcement act (starts the 30-day case-file deadline)', params: caseParams,
        body: { type: 'object', required: ['endedAt'], additionalProperties: false, properties: { endedAt: schemas.dateTime, reason: schemas.reason } },
      },
    },
    async (request) => {
      const { caseId } = request.params;
      const closure = await closeCase(ctx, caseId, new Date(request.body.endedAt), userOf(request).id, request.body.reason ?? null);
      await auditRequest(ctx, request, { action: 'cases:close', target: `case:${caseId}`, result: 'ok', reason: closure.reason, details: { endedAt: closure.endedAt.toISOString() } });
      return { closure: closureJson(closure), caseFile: caseFileJson(ctx, closure, await services.records.caseFileOfCase(caseId)) };
    },
  );

  app.get('/api/case-files', { preValidation: requirePermission('case-files:read'), schema: { tags: ['cases'], summary: 'closed cases and their case files: status and deadline, soonest due first' } }, async (request) => {
    const rows = (await services.records.closedCases()).map(({ closure, file }) => caseFileJson(ctx, closure, file));
    await auditRequest(ctx, request, { action: 'case-files:read', target: 'case-files', result: 'ok' });
    return rows;
  });

  app.post<{ Params: { caseId: string } }>(
    '/api/cases/:caseId/case-file',
    { preValidation: requirePermission('case-files:create'), schema: { tags: ['cases'], summary: "freeze a closed case's recordings and manifests into a locked case-file manifest", params: caseParams } },
    async (request, reply) => {
      const { caseId } = request.params;
      const file = await fileCase(ctx, caseId, userOf(request).id);
      const closure = (await services.records.closure(caseId))!;
      await auditRequest(ctx, request, { action: 'case-files:create', target: `case:${caseId}`, result: 'ok', details: { caseFileId: file.id, items: file.itemCount } });
      return reply.status(201).send(caseFileJson(ctx, closure, file));
    },
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } }>(
    '/api/case-files/:id/archive',
    {
      preValidation: requirePermission('case-files:archive'),
      schema: {
        tags: ['cases'], summary: "archive a case file; lifts the case's legal holds", params: { type: 'object', properties: { id: schemas.itemId } },
        body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: schemas.reason } },
      },
    },
    async (request) => {
      const reason = request.body?.reason ?? null;
      const { file, holds } = await archiveCaseFile(ctx, request.params.id, userOf(request).id, reason);
      await auditRequest(ctx, request, { action: 'case-files:archive', target: `case-file:${file.id}`, result: 'ok', reason, details: { caseId: file.caseId, ...holds } });
      return { ...caseFileJson(ctx, (await services.records.closure(file.caseId))!, file), holdsLifted: holds.released, stillHeld: holds.stillHeld };
    },
  );
};
