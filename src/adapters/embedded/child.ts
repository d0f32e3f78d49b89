import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../log.ts';

/** The three services evidock can run itself. */
export type ServiceName = 'redis' | 'postgres' | 'minio';
export type ExitListener = (service: ServiceName, code: number | null, signal: NodeJS.Signals | null) => void;

/** What every embedded server's start takes: where its data lives, how long it may take, whom to tell if it dies. */
export interface EmbeddedStart {
  dataDir: string;
  log: Logger;
  timeoutMs: number;
  onUnexpectedExit?: ExitListener;
}

export interface SpawnOptions {
  service: ServiceName;
  command: string;
  args: string[];
  log: Logger;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (root starting PostgreSQL as `postgres`). Node does the setuid itself, so no
   * `runuser` sits between us and the server: our stop signal reaches the server unaltered. */
  uid?: number;
  gid?: number;
  /** The signal that makes the server shut down cleanly (PostgreSQL: SIGINT = fast shutdown). */
  stopSignal?: NodeJS.Signals;
  /** Called when the child exits without stop() having been called. */
  onUnexpectedExit?: ExitListener;
}

export interface ManagedChild {
  readonly service: ServiceName;
  readonly pid: number;
  /** Resolves when the process has exited (at once if it already has). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** The last lines the child printed, for error messages when it dies during startup. */
  recentOutput(): string;
  /** Clean-shutdown signal, wait up to `timeoutMs`, then SIGKILL its whole process group. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Server lines that deserve an operator's eye; the rest (banners, checkpoints, "ready") go to debug. */
const ERRORISH = /\b(error|fatal|panic|failed|could not|cannot|unable)\b/i;
/** MinIO prefixes harmless notices with "INFO:" even when they contain alarming words. */
const NOTICE = /^INFO:/;

/** Children that are still running, so a process `exit` can still ask them to shut down (see below). */
const live = new Set<ChildProcess & { stopSignal: NodeJS.Signals }>();
let exitHookInstalled = false;

/**
 * Children run in their own process group (`detached`) so a Ctrl-C in the terminal reaches only the daemon,
 * which then drains its jobs *before* stopping Redis/PostgreSQL/MinIO. The price is that they would
 * outlive a daemon that exits without calling stop(); this `exit` hook (not a signal handler: the daemon
 * wires signals itself) sends them their clean-shutdown signal in that case. It cannot help on SIGKILL:
 * the next start then reports the port as taken.
 */
function ensureExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        if (child.pid) process.kill(child.pid, child.stopSignal);
      } catch {
        /* already gone */
      }
    }
  });
}

export function spawnChild(options: SpawnOptions): ManagedChild {
  const { service, log } = options;
  const stopSignal = options.stopSignal ?? 'SIGTERM';
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    uid: options.uid,
    gid: options.gid,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { stopSignal: NodeJS.Signals };
  child.stopSignal = stopSignal;
  const childLog = log.child({ service, pid: child.pid });

  const tail: string[] = [];
  const pipe = (stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr') => {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > 30) tail.shift();
      if (ERRORISH.test(line) && !NOTICE.test(line)) childLog.warn({ stream: name }, line);
      else childLog.debug({ stream: name }, line);
    });
  };
  pipe(child.stdout, 'stdout');
  pipe(child.stderr, 'stderr');

  let exitedFlag = false;
  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      // spawn failure (ENOENT, EACCES): no 'exit' event follows.
      tail.push(`cannot run ${options.command}: ${error.message}`);
      exitedFlag = true;
      live.delete(child);
      resolve({ code: null, signal: null });
    });
    child.once('exit', (code, signal) => {
      exitedFlag = true;
      live.delete(child);
      if (!stopping) {
        childLog.error({ code, signal }, `${service} exited unexpectedly`);
        options.onUnexpectedExit?.(service, code, signal);
      } else {
        childLog.debug({ code, signal }, `${service} stopped`);
      }
      resolve({ code, signal });
    });
  });
  live.add(child);
  ensureExitHook();

  return {
    service,
    pid: child.pid ?? -1,
    exited,
    hasExited: () => exitedFlag,
    recentOutput: () => tail.join('\n'),
    async stop(timeoutMs = 20_000) {
      stopping = true;
      if (exitedFlag || !child.pid) return;
      try {
        process.kill(child.pid, stopSignal);
      } catch {
        /* exited meanwhile */
      }
      const timer = new AbortController();
      const done = await Promise.race([
        exited.then(() => true),
        sleep(timeoutMs, false, { signal: timer.signal }).catch(() => false),
      ]);
      timer.abort(); // do not keep the event loop alive for the rest of the grace period
      if (done) return;
      childLog.warn(`${service} did not stop within ${timeoutMs} ms; killing it`);
      // Kill the whole process group: that takes the server's own children (PostgreSQL backends) with it.
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* group already empty */
      }
      await exited;
    },
  };
}

/**
 * Fails if something already listens on 127.0.0.1:port. Checked before starting a server so the error
 * names our service and port instead of surfacing as a cryptic bind failure in the child's output.
 * (On Linux this also catches a listener on 0.0.0.0.)
 */
export async function assertPortFree(service: ServiceName, port: number, what = 'port'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `cannot start embedded ${service}: 127.0.0.1:${port} (${service} ${what}) is already in use ` +
              `(is another evidock running with this config, or another ${service}?). ` +
              `Stop it, or configure a different ${service} ${what}.`,
          ),
        );
      } else reject(new Error(`cannot start embedded ${service}: cannot check 127.0.0.1:${port}: ${error.message}`));
    });
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/**
 * Polls `probe` until it succeeds. Fails at once when the child we started has died (with its last output),
 * or after `timeoutMs` with an error naming the service, its address and the last probe error.
 */
export async function waitUntilReady(
  service: ServiceName,
  address: string,
  probe: () => Promise<void>,
  timeoutMs: number,
  child?: ManagedChild,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer';
  let delay = 50;
  for (;;) {
    if (child?.hasExited()) {
      throw new Error(`${service} at ${address} exited during startup. Its last output:\n${child.recentOutput() || '(none)'}`);
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = (error as Error).message || String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(`${service} at ${address} did not answer within ${Math.round(timeoutMs / 1000)} s (last error: ${lastError})`);
    }
    await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    delay = Math.min(delay * 2, 250);
  }
}

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which`: the first executable `name` on PATH, or null. */
export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Hides the password in a URL for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}
