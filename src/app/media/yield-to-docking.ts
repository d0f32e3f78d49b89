import type { Catalog, SessionProgress } from '../../ports/catalog.ts';
import type { Workers } from '../../ports/jobs.ts';
import type { MediaDeps } from './deps.ts';

const BUSY_STATES: ReadonlySet<SessionProgress['state']> = new Set(['scanning', 'securing']);

/** Whether this host is reading a device now. */
export function hostIsSecuring(sessions: SessionProgress[], dockHost: string): boolean {
  return sessions.some((s) => s.dockHost === dockHost && s.endedAt === null && BUSY_STATES.has(s.state));
}

/**
 * On a host with both roles, media work gives way to securing: the officer waits for "safe to undock",
 * nobody waits for a proxy, and on two cores a transcode next to a secure slows the secure by half
 * (measured with bench/secure.bench.ts). Checks once per interval; returns a stop function.
 */
export function yieldMediaToDocking(deps: Pick<MediaDeps, 'clock' | 'config' | 'log'> & { catalog: Pick<Catalog, 'recentSessions'> }, media: Pick<Workers, 'pause' | 'resume'>, intervalMs = 1000): () => void {
  let paused = false;
  let checking = false;
  let stopped = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const busy = hostIsSecuring(await deps.catalog.recentSessions(0, deps.clock.now()), deps.config.dockHost);
      // A look that ends after the stop must not resume workers the stop has paused.
      if (stopped) return;
      if (busy && !paused) {
        paused = true;
        await media.pause();
        deps.log.info('media work paused while devices are secured');
      } else if (!busy && paused) {
        paused = false;
        media.resume();
        deps.log.info('media work resumed');
      }
    } catch (error) {
      // A failed look leaves things as they are; the next interval looks again.
      deps.log.warn({ err: error }, 'could not check for securing devices');
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), intervalMs);
  void check();
  // Stopping leaves the workers as they are: the daemon pauses and closes them next.
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
