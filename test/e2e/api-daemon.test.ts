import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DaemonProcess, runCli, startDaemonProcess } from '../support/cli.ts';
import { configuredServicesEnv } from '../support/daemon-env.ts';

/** `evidock passwords set` with the password piped on standard input, as a script would. */
function setPassword(env: Record<string, string>, badge: string, password: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../../src/cli/main.ts'), 'passwords', 'set', badge], {
    env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.stdin.end(`${password}\n`);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('the API of a running daemon, with credentials made by the CLI', () => {
  let env: Record<string, string>;
  let daemon: DaemonProcess;
  let base: string;

  beforeAll(async () => {
    env = await configuredServicesEnv(mkdtempSync(join(tmpdir(), 'api-e2e-dock-')), 'api-e2e');
    daemon = startDaemonProcess(env);
    await daemon.waitForLog('evidock started');
    const started = daemon.output().split('\n').find((l) => l.includes('"msg":"evidock started"'))!;
    base = JSON.parse(started).apiAddress;
    // The first admin is added by the service account; from then on the CLI acts as them.
    expect((await runCli(['people', 'add', 'ADMIN-1', '--name', 'Admin', '--role', 'admin'], env)).code).toBe(0);
    env = { ...env, EVIDOCK_ACTOR: 'ADMIN-1' };
    expect((await runCli(['people', 'add', 'A-1001', '--name', 'Li Na', '--role', 'archivist'], env)).code).toBe(0);
  }, 300_000);
  afterAll(async () => daemon?.stop());

  it('creates a token that authenticates, lists it without the secret, and revokes it', async () => {
    const created = await runCli(['tokens', 'create', 'A-1001', '--expires-in', '2h', '--label', 'laptop', '--json', '--by', 'ADMIN-1'], env);
    expect(created.code).toBe(0);
    const { token, id, expiresAt } = JSON.parse(created.stdout);
    expect(token).toMatch(/^evd_/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(7000_000);
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(await me.json()).toMatchObject({ id: 'A-1001', role: 'archivist', via: 'token' });

    const listed = JSON.parse((await runCli(['tokens', 'list', '--json'], env)).stdout);
    expect(listed).toEqual([expect.objectContaining({ id, personId: 'A-1001', label: 'laptop', state: 'active', createdBy: 'ADMIN-1' })]);
    expect(JSON.stringify(listed)).not.toContain(token);

    expect((await runCli(['tokens', 'revoke', id], env)).code).toBe(0);
    expect((await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    expect(JSON.parse((await runCli(['tokens', 'list', '--json'], env)).stdout)[0].state).toBe('revoked');
    const again = await runCli(['tokens', 'revoke', id], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`token ${id} was revoked already`);
  });

  it('refuses a token for nobody and a malformed lifetime, saying what to do', async () => {
    expect((await runCli(['tokens', 'create', 'NOBODY'], env)).stderr).toContain('no person with badge "NOBODY"');
    expect((await runCli(['tokens', 'create', 'A-1001', '--expires-in', 'soon'], env)).stderr).toContain('use a whole number and a unit');
  });

  it('sets a password from standard input that logs in to the web page', async () => {
    expect((await setPassword(env, 'A-1001', 'short')).out).toContain('at least 12 characters');
    const set = await setPassword(env, 'A-1001', 'a password of Li Na');
    expect(set).toMatchObject({ code: 0, out: 'password of A-1001 set\n' });
    const login = await fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ badge: 'A-1001', password: 'a password of Li Na' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(await (await fetch(`${base}/api/me`, { headers: { cookie } })).json()).toMatchObject({ id: 'A-1001', via: 'session' });
    const page = await fetch(`${base}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    // The page (Chinese by default) builds its login form in its own module script.
    expect(await page.text()).toMatch(/<html lang="zh-CN">[\s\S]*<script type="module" src="\/app\.js">/);
  });
});
