import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApiServer } from '../../src/api/server.ts';
import { createToken, setPassword } from '../../src/app/access/credentials.ts';
import { savePerson } from '../../src/app/access/register.ts';
import { type Role, roles } from '../../src/domain/people.ts';
import { createHarness, type Harness, makeDevice, waitFor } from './harness.ts';

export interface ApiHarness extends Harness {
  app: FastifyInstance;
  /** What the API was given: the harness's composed process. */
  services: Harness['deps'];
  /** One person per role (badge = `T-<role>`), each with an API token. */
  tokens: Record<Role, string>;
  /** A request as the person of `role` (token auth), or anonymous with role null. */
  as(role: Role | null, options: InjectOptions): Promise<LightMyRequestResponse>;
}

const testActor = { actor: 'test-admin', from: 'test' };

/** Adds a person and gives them a token (and a password when given). */
export async function personWithToken(h: Harness, services: Harness['deps'], badge: string, role: Role, password?: string): Promise<string> {
  await savePerson(services, { id: badge, name: `Test ${role}`, unit: 'enforcement', role }, { actor: 'test', at: new Date(), reason: null });
  if (password) await setPassword(services, badge, password, new Date(), testActor);
  return (await createToken(services, badge, { expiresInMs: 3600_000, label: 'test', now: new Date() }, testActor)).token;
}

/** The API over real services (fresh database and bucket), with a person and token for every role. */
export async function createApiHarness(overrides: Record<string, unknown> = {}): Promise<ApiHarness> {
  const h = await createHarness(overrides);
  const services = h.deps;
  const app = await buildApiServer(services);
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

/** Docks a device holding `files` and waits until it is secured; returns its recordings, oldest first. */
export async function dockRecordings(h: ApiHarness, serial: string, files: Record<string, string | number | Buffer>, mtime?: Date) {
  const root = makeDevice(join(h.dockDir, serial), files, mtime);
  await h.dock.handle({ type: 'docked', mountPath: root, volumeLabel: serial });
  const session = await h.waitForSession(serial);
  if (session.state !== 'secured') throw new Error(`device ${serial} ended ${session.state}: ${session.reason}`);
  const { rows } = await h.services.items.search({ filters: { deviceSerial: serial }, levels: ['normal', 'restricted', 'confidential'], sort: 'capturedAt', after: null, limit: 1000 });
  return rows;
}

/** Waits until the media pipeline published a recording's derivatives. */
export async function waitForMedia(h: ApiHarness, itemId: string, timeoutMs = 90_000) {
  return waitFor(`media of ${itemId}`, async () => {
    const media = (await h.services.media.catalog.mediaOf([itemId])).get(itemId);
    if (media?.state === 'unplayable' || media?.state === 'failed') throw new Error(`media of ${itemId} ${media.state}: ${media.reason}`);
    return media?.state === 'ready' ? media : null;
  }, timeoutMs);
}
