import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { PgCatalog } from '../../src/adapters/postgres/pg-catalog.ts';
import { buildApiServer } from '../../src/api/server.ts';
import type { ApiServices } from '../../src/api/services.ts';
import { apiServices } from '../../src/app/api-wiring.ts';
import { createToken, setPassword } from '../../src/app/credentials.ts';
import { savePerson } from '../../src/app/register.ts';
import { type Role, roles } from '../../src/domain/people.ts';
import type { Registry } from '../../src/ports/registry.ts';
import { createHarness, type Harness } from './harness.ts';

export interface ApiHarness extends Harness {
  app: FastifyInstance;
  services: ApiServices;
  /** One person per role (badge = `T-<role>`), each with an API token. */
  tokens: Record<Role, string>;
  /** A request as the person of `role` (token auth), or anonymous with role null. */
  as(role: Role | null, options: InjectOptions): Promise<LightMyRequestResponse>;
}

const testActor = { actor: 'test-admin', from: 'test' };

/** Adds a person and gives them a token (and a password when given). */
export async function personWithToken(h: Harness, services: ApiServices, badge: string, role: Role, password?: string): Promise<string> {
  const registry = (h.deps as unknown as { registry: Registry }).registry;
  await savePerson({ registry, catalog: h.deps.catalog }, { id: badge, name: `Test ${role}`, unit: 'enforcement', role }, { actor: 'test', at: new Date(), reason: null });
  if (password) await setPassword(services, badge, password, new Date(), testActor);
  return (await createToken(services, badge, { expiresInMs: 3600_000, label: 'test', now: new Date() }, testActor)).token;
}

/** The API over real services (fresh database and bucket), with a person and token for every role. */
export async function createApiHarness(overrides: Record<string, unknown> = {}): Promise<ApiHarness> {
  const h = await createHarness(overrides);
  // The harness's catalog is the PostgreSQL adapter; the API's adapters share its pool.
  const services = apiServices({ catalog: h.deps.catalog as PgCatalog, registry: (h.deps as unknown as { registry: Registry }).registry });
  const app = await buildApiServer({ deps: h.deps, services });
  const tokens = {} as Record<Role, string>;
  for (const role of roles) tokens[role] = await personWithToken(h, services, `T-${role}`, role);
  return {
    ...h,
    app,
    services,
    tokens,
    as(role, options) {
      const headers = { ...(options.headers ?? {}), ...(role ? { authorization: `Bearer ${tokens[role]}` } : {}) };
      return app.inject({ ...options, headers });
    },
    async close() {
      await app.close();
      await h.close();
    },
  };
}
