import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServiceEndpoints } from '../../src/adapters/embedded/services.ts';

const root = join(import.meta.dirname, '../..');
const cliArgs = ['--import', 'tsx', join(root, 'src/cli/main.ts')];

/** The environment a user's shell would have, minus any EVIDOCK_* of the test runner's. */
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('EVIDOCK_')));
  // Several daemons may run at once on a test machine: the API takes any free port unless told.
  return { ...base, EVIDOCK_API_PORT: '0', ...env };
}

/** The environment that points the CLI at these services (a harness's own database and bucket) as configured URLs. */
export function servicesEnv(endpoints: ServiceEndpoints, dockHost: string): Record<string, string> {
  const m = endpoints.minio;
  return {
    EVIDOCK_REDIS_URL: endpoints.redisUrl,
    EVIDOCK_POSTGRES_URL: endpoints.postgresUrl,
    EVIDOCK_MINIO_URL: `${m.useSSL ? 'https' : 'http'}://${m.endPoint}:${m.port}`,
    EVIDOCK_MINIO_ACCESS_KEY: m.accessKey,
    EVIDOCK_MINIO_SECRET_KEY: m.secretKey,
    EVIDOCK_MINIO_BUCKET: m.bucket,
    EVIDOCK_DOCK_HOST: dockHost,
  };
}

/** Runs `evidock <args>` to completion; never throws on a non-zero exit. */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  options: { timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string; timedOut?: boolean }> {
  const run = promisify(execFile)(process.execPath, [...cliArgs, ...args], { env: cleanEnv(env), cwd: root, maxBuffer: 64 << 20, timeout: options.timeoutMs, killSignal: 'SIGKILL' });
  // No input is ever typed: a command that asks for some reads end-of-file instead of waiting.
  run.child.stdin?.end();
  try {
    const { stdout, stderr } = await run;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; killed?: boolean };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ...(e.killed ? { timedOut: true } : {}) };
  }
}

export interface DaemonProcess {
  child: ChildProcess;
  /** Everything the daemon printed so far (pino JSON lines). */
  output(): string;
  waitForLog(msg: string, timeoutMs?: number): Promise<void>;
  /** Sends SIGINT and resolves with the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
}

/** Starts `evidock start` as a user would, in its own process. */
export function startDaemonProcess(env: Record<string, string>): DaemonProcess {
  const child = spawn(process.execPath, [...cliArgs, 'start'], { env: cleanEnv(env), cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => out,
    async waitForLog(msg, timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (!out.includes(`"msg":"${msg}"`)) {
        if (child.exitCode !== null) throw new Error(`daemon exited (${child.exitCode}) before "${msg}":\n${out}`);
        if (Date.now() > deadline) throw new Error(`daemon did not log "${msg}" in ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(timeoutMs = 60_000) {
      if (child.exitCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/**
 * Puts people on record through the CLI as an install does (its first admin, `CLI-ADMIN`, added by the
 * service account; the others by that admin) and returns the environment acting as `actor`.
 */
export async function withCliPeople(env: Record<string, string>, people: Array<[badge: string, role: string]>, actor: string): Promise<Record<string, string>> {
  const add = async (badge: string, role: string, by: string[]) => {
    const result = await runCli(['people', 'add', badge, '--name', badge, '--role', role, ...by], { ...env, EVIDOCK_ACTOR: '' });
    if (result.code !== 0) throw new Error(`people add ${badge}: ${result.stderr}`);
  };
  await add('CLI-ADMIN', 'admin', []);
  for (const [badge, role] of people) await add(badge, role, ['--by', 'CLI-ADMIN']);
  return { ...env, EVIDOCK_ACTOR: actor };
}
