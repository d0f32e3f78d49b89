import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, revokeToken } from '../../src/app/access/credentials.ts';
import { SESSION_COOKIE } from '../../src/api/auth.ts';
import { type ApiHarness, createApiHarness, personWithToken } from '../support/api.ts';

const admin = { actor: 'T-admin', from: 'test' };

describe('API authentication', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await createApiHarness();
    await personWithToken(h, h.services, 'A-100', 'archivist', 'correct horse battery');
  });
  afterAll(async () => {
    await h?.close();
  });

  const me = (headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url: '/api/me', headers });

  it('refuses a protected route without credentials, saying how to authenticate', async () => {
    const res = await me();
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'unauthenticated', message: expect.stringContaining('POST /login') });
  });

  it('accepts a personal token and answers with the role from the register and what it allows', async () => {
    const res = await h.as('archivist', { method: 'GET', url: '/api/me' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'T-archivist', role: 'archivist', via: 'token', actions: expect.arrayContaining(['items:download']) });
    expect(res.json().actions).not.toContain('copies:decide');
  });

  it('refuses a malformed header, an unknown token, an expired one and a revoked one', async () => {
    expect((await me({ authorization: 'Basic abc' })).json()).toMatchObject({ code: 'unauthenticated', field: 'authorization' });
    expect((await me({ authorization: 'Bearer evd_not-a-token' })).statusCode).toBe(401);

    const expired = await createToken(h.services, 'A-100', { expiresInMs: 1000, label: null, now: new Date(Date.now() - 5000) }, admin);
    expect((await me({ authorization: `Bearer ${expired.token}` })).json().message).toMatch(/unknown, expired or revoked/);

    const live = await createToken(h.services, 'A-100', { expiresInMs: 3600_000, label: 'laptop', now: new Date() }, admin);
    expect((await me({ authorization: `Bearer ${live.token}` })).statusCode).toBe(200);
    await revokeToken(h.services, live.info.id, new Date(), admin);
    expect((await me({ authorization: `Bearer ${live.token}` })).statusCode).toBe(401);
    await expect(revokeToken(h.services, live.info.id, new Date(), admin)).rejects.toThrow('revoked already');
    await expect(revokeToken(h.services, 'nope', new Date(), admin)).rejects.toThrow('no token with id nope');
  });

  it('stores only the SHA-256 of tokens and an scrypt hash of passwords', async () => {
    const { token } = await createToken(h.services, 'A-100', { expiresInMs: 60_000, label: null, now: new Date() }, admin);
    const pool = h.deps.catalog.pool;
    const { rows } = await pool.query('SELECT token_sha256 FROM api_tokens');
    expect(rows.map((r) => r.token_sha256).join()).not.toContain(token.slice(4, 20));
    const { rows: pw } = await pool.query(`SELECT hash FROM person_passwords WHERE person_id = 'A-100'`);
    expect(pw[0].hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(pw[0].hash).not.toContain('correct horse');
  });

  it('logs in with badge and password: an httpOnly SameSite=Strict cookie that authenticates, until logout', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/login', payload: { badge: 'A-100', password: 'correct horse battery' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'A-100', role: 'archivist' });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=evs_`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;
    expect((await me({ cookie })).json()).toMatchObject({ id: 'A-100', via: 'session' });

    expect((await h.app.inject({ method: 'POST', url: '/logout', headers: { cookie } })).statusCode).toBe(200);
    expect((await me({ cookie })).statusCode).toBe(401);
  });

  it('refuses a wrong password or unknown badge alike, and audits every attempt', async () => {
    for (const payload of [{ badge: 'A-100', password: 'wrong password!' }, { badge: 'NOBODY', password: 'whatever-long' }, { badge: "x' OR 1=1 --", password: 'p' }]) {
      const res = await h.app.inject({ method: 'POST', url: '/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ code: 'login-failed', message: 'badge or password is wrong (an admin sets passwords with "evidock passwords set")' });
    }
    const trail = await h.services.audit.trail({ person: 'A-100' });
    const logins = trail.filter((e) => e.type === 'login');
    expect(logins.map((e) => e.details.result)).toEqual(expect.arrayContaining(['ok', 'refused']));
  });

  it('names the missing field of a login without a password', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/login', payload: { badge: 'A-100' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'invalid-input', field: 'password' });
  });
});
