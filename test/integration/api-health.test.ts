import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../src/api/server.ts';
import { createHarness, type Harness } from '../support/harness.ts';

describe('HTTP API basics', () => {
  let h: Harness;
  let app: FastifyInstance;
  beforeAll(async () => {
    h = await createHarness();
    app = await buildApiServer({ deps: h.deps });
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  it('answers /healthz without credentials', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers an unknown route with a JSON 404 naming it', async () => {
    const res = await app.inject({ method: 'GET', url: '/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ code: 'not-found', message: 'no route GET /nope' });
  });
});
