import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * Runs ffmpeg and ffprobe so that they die with the evidock process that started them: a worker killed
 * mid-transcode must not leave an encoder running (the job runs again elsewhere).
 */
const WITH_PARENT = join(import.meta.dirname, 'ffmpeg-child.sh');
/** Enough of stderr for the reason of a failure: its last lines. */
const STDERR_TAIL = 16 << 10;

export interface ChildControl {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each line of stdout as it comes. */
  onLine?: (line: string) => void;
  /** Keeps stdout whole up to this many bytes (ffprobe's JSON); a child writing more is killed. */
  keepStdout?: number;
}

export interface ChildEnd {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  /** Why it was ended, when it was: by us (`timeout`, `abort`, `overflow` of stdout), or by someone else (`signal`, e.g. the OOM killer). */
  killed: 'timeout' | 'abort' | 'overflow' | 'signal' | null;
  stdout: string;
  stderrTail: string;
}

/**
 * Starts `tool` in a process group of its own and waits for it to end. A timeout or an abort kills the
 * whole group at once (SIGKILL: an encoder told to stop may still flush for seconds).
 */
export function runChild(tool: 'ffmpeg' | 'ffprobe', args: string[], control: ChildControl): Promise<ChildEnd> {
  const { signal } = control;
  signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn(WITH_PARENT, [tool, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let killed: ChildEnd['killed'] = null;
    let stdout = '';
    let stderrTail = '';
    const kill = (why: 'timeout' | 'abort' | 'overflow') => {
      killed ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch (error) {
        // ESRCH: the group has already gone; anything else, kill at least the child itself.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') child.kill('SIGKILL');
      }
    };
    const onAbort = () => kill('abort');
    const timer = setTimeout(() => kill('timeout'), control.timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      stderrTail = (stderrTail + text).slice(-STDERR_TAIL);
    });
    if (control.onLine) createInterface({ input: child.stdout }).on('line', control.onLine);
    else {
      child.stdout.setEncoding('utf8').on('data', (text: string) => {
        stdout += text;
        if (stdout.length > (control.keepStdout ?? 0)) kill('overflow');
      });
    }
    const settle = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      settle();
      reject(new Error(`${tool} could not be started: ${error.message}`));
    });
    child.on('close', (code, exitSignal) => {
      settle();
      // The wrapper is a shell: a tool that is not installed ends it with 127.
      if (code === 127) return reject(new Error(`${tool} is not installed: run scripts/provision.sh`));
      resolve({ code, killed: killed ?? (exitSignal ? 'signal' : null), stdout, stderrTail });
    });
  });
}
