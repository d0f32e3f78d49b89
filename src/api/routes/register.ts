import { setPersonEnabled } from '../../app/access/accounts.ts';
import { assignDevice, registerDevice } from '../../app/access/register.ts';
import { changePerson, confirmRoleGrant, roleGrantJson } from '../../app/access/role-grants.ts';
import { importActivities } from '../../app/tagging/activity-import.ts';
import { importJson, personJson } from '../../app/tagging/contracts.ts';
import { assignmentJson, deviceJson } from '../../app/access/contracts.ts';
import { checkRole, roles } from '../../domain/people.ts';
import { auditRequest } from '../audit.ts';
import { requirePermission, userOf } from '../auth.ts';
import { schemas } from '../json.ts';
import type { RouteModule } from '../context.ts';
import { asUserInput } from '../user-input.ts';

const act = (actor: string, reason: string | undefined, at: Date) => ({ actor, at, reason: reason ?? null });

/** People, devices and activities, as the CLI has them (issue 5's functions; same JSON as `--json`). */
export const registerRoutes: RouteModule = (app, ctx) => {
  const services = ctx;
  const now = () => ctx.clock.now();

  app.get('/api/people', { preValidation: requirePermission('people:read'), schema: { tags: ['register'], summary: 'people on record (A13)' } }, async () =>
    (await services.registry.people()).map(personJson),
  );

  app.put<{ Params: { badge: string }; Body: { name: string; unit?: string | null; role: string; reason?: string } }>(
    '/api/people/:badge',
    {
      preValidation: requirePermission('people:write'),
      schema: {
        tags: ['register'], summary: 'add a person, or change name, unit and role',
        params: { type: 'object', properties: { badge: schemas.badge } },
        body: {
          type: 'object', required: ['name', 'role'], additionalProperties: false,
          properties: { name: { type: 'string', minLength: 1, maxLength: 200 }, unit: { type: ['string', 'null'], maxLength: 200 }, role: { type: 'string', enum: [...roles] }, reason: schemas.reason },
        },
      },
    },
    async (request, reply) => {
      const { name, unit, role, reason } = request.body;
      const person = { id: request.params.badge, name, unit: unit ?? null, role: checkRole(role) };
      const change = { by: userOf(request), from: request.ip, at: now(), reason: reason ?? null };
      const done = await asUserInput('badge', () => changePerson(services, person, change));
      // A privileged role waits for a second person: accepted, not done (202), with the grant to confirm.
      if (done.outcome === 'proposed') return reply.status(202).send({ outcome: done.outcome, person: personJson(person), grant: roleGrantJson(done.grant) });
      return { outcome: done.outcome, person: personJson(person) };
    },
  );

  app.get('/api/role-grants', { preValidation: requirePermission('people:confirm'), schema: { tags: ['register'], summary: 'privileged roles proposed and awaiting a second person' } }, async () =>
    (await services.credentials.openRoleGrants()).map(roleGrantJson),
  );

  app.post<{ Params: { id: string }; Body: { reason?: string } | null }>(
    '/api/role-grants/:id/confirm',
    {
      preValidation: requirePermission('people:confirm'),
      schema: {
        tags: ['register'], summary: 'confirm a proposed role (the head or another admin; not the proposer nor the person it is for)',
        params: { type: 'object', properties: { id: schemas.itemId } },
        body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: schemas.reason } },
      },
    },
    async (request) => {
      const grant = await confirmRoleGrant(services, request.params.id, { by: userOf(request), from: request.ip, at: now(), reason: request.body?.reason ?? null });
      return roleGrantJson(grant);
    },
  );

  for (const [path, enabled] of [['disable', false], ['enable', true]] as const) {
    app.post<{ Params: { badge: string }; Body: { reason?: string } | null }>(
      `/api/people/:badge/${path}`,
      {
        preValidation: requirePermission('people:disable'),
        schema: {
          tags: ['register'], summary: `${path} a person${enabled ? '' : ': their sessions and tokens stop working at once'}`,
          params: { type: 'object', properties: { badge: schemas.badge } },
          body: { type: ['object', 'null'], additionalProperties: false, properties: { reason: schemas.reason } },
        },
      },
      async (request) => {
        const { badge } = request.params;
        const changed = await asUserInput('badge', () => setPersonEnabled(services, badge, enabled, now(), { actor: userOf(request).id, from: request.ip }, request.body?.reason ?? null));
        return { id: badge, enabled, changed };
      },
    );
  }

  app.get('/api/devices', { preValidation: requirePermission('devices:read'), schema: { tags: ['register'], summary: 'devices, with the officer assigned now' } }, async () =>
    (await services.registry.devices()).map(deviceJson),
  );

  app.get<{ Params: { serial: string } }>(
    '/api/devices/:serial/assignments',
    { preValidation: requirePermission('devices:read'), schema: { tags: ['register'], summary: "a device's assignments over time", params: { type: 'object', properties: { serial: schemas.code } } } },
    async (request) => (await services.registry.assignments(request.params.serial)).map(assignmentJson),
  );

  app.put<{ Params: { serial: string }; Body: { model?: string; type?: string; custodian?: string; reason?: string } }>(
    '/api/devices/:serial',
    {
      preValidation: requirePermission('devices:write'),
      schema: {
        tags: ['register'], summary: 'register a device (or change model, type, custodian)', params: { type: 'object', properties: { serial: schemas.code } },
        body: { type: 'object', additionalProperties: false, properties: { model: schemas.code, type: schemas.code, custodian: schemas.badge, reason: schemas.reason } },
      },
    },
    async (request) => {
      const b = request.body;
      const outcome = await asUserInput('serial', () =>
        registerDevice(services, { serial: request.params.serial, model: b.model ?? null, deviceType: b.type ?? null, custodian: b.custodian ?? null }, act(userOf(request).id, b.reason, now())),
      );
      return { outcome, device: deviceJson((await services.registry.device(request.params.serial))!) };
    },
  );

  app.post<{ Params: { serial: string }; Body: { officer: string | null; from?: string; reason?: string } }>(
    '/api/devices/:serial/assignments',
    {
      preValidation: requirePermission('devices:write'),
      schema: {
        tags: ['register'], summary: 'assign a device to an officer from a time on (recordings already stored are retagged)', params: { type: 'object', properties: { serial: schemas.code } },
        body: { type: 'object', required: ['officer'], additionalProperties: false, properties: { officer: { anyOf: [schemas.badge, { type: 'null' }] }, from: schemas.dateTime, reason: schemas.reason } },
      },
    },
    async (request) => {
      const from = request.body.from ? new Date(request.body.from) : now();
      const a = act(userOf(request).id, request.body.reason, now());
      await asUserInput('officer', () => assignDevice(services, request.params.serial, request.body.officer, from, a));
      return (await services.registry.assignments(request.params.serial)).map(assignmentJson);
    },
  );

  app.get<{ Querystring: { case: string } }>(
    '/api/activities',
    {
      preValidation: requirePermission('activities:read'),
      schema: { tags: ['register'], summary: "a case's enforcement activities", querystring: { type: 'object', required: ['case'], properties: { case: schemas.code } } },
    },
    async (request) =>
      (await services.tags.activitiesOfCase(request.query.case)).map((a) => ({
        id: a.id, caseId: a.caseId, category: a.category, phase: a.phase, officerId: a.officerId, startsAt: a.startsAt.toISOString(), endsAt: a.endsAt.toISOString(), place: a.place,
      })),
  );

  app.post<{ Body: { name: string; text: string; reason?: string } }>(
    '/api/activities/import',
    {
      preValidation: requirePermission('activities:write'),
      schema: {
        tags: ['register'], summary: 'import activity records (CSV or JSON, as `evidock import activities`); retags what they concern',
        body: { type: 'object', required: ['name', 'text'], additionalProperties: false, properties: { name: { type: 'string', pattern: '\\.(csv|json)$' }, text: { type: 'string', maxLength: 20_000_000 }, reason: schemas.reason } },
      },
    },
    async (request) => {
      const { name, text, reason } = request.body;
      const result = await asUserInput('text', () => importActivities(services, { name, text }, act(userOf(request).id, reason, now())));
      const changed = result.retagged.filter((o) => o.changed).map((o) => o.itemId);
      await auditRequest(ctx, request, { action: 'activities:write', target: `import:${name}`, result: 'ok', reason: reason ?? null, itemIds: changed, details: { added: result.added } });
      return importJson(result);
    },
  );
};
