import { createLogger } from '../../log.ts';
import type { CliContext } from '../context.ts';

const SIGNAL_ECHO_MS = 1500;

export function registerStart({ program, config }: CliContext): void {
  program
    .command('start')
    .description('run the daemon (every role in one process; embedded services unless URLs are configured)')
    .action(async () => {
      const cfg = config();
      const log = createLogger(cfg.log.level);
      // Loaded here, not at the top: every other command (a CLI call is a fresh process) would otherwise
      // load the whole daemon (HTTP server, dashboards, image and media tooling) before doing anything.
      const { startDaemon } = await import('../../main/daemon.ts');
      let stoppingSince: number | null = null;
      let exitCode = 0;
      const stop = (signal: string) => {
        if (stoppingSince !== null) {
          // Ctrl-C reaches every process of the terminal's group, and wrappers (npm, tsx) relay it to us
          // as well: a repeat within a moment is that echo, not a person pressing Ctrl-C again.
          if (Date.now() - stoppingSince < SIGNAL_ECHO_MS) return;
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        stoppingSince = Date.now();
        log.info({ signal, graceMs: cfg.shutdown.graceMs }, 'stopping: finishing running jobs');
        // A job that ignores its abort signal, or a server that will not stop, must not keep a supervisor waiting forever.
        const limitMs = cfg.shutdown.graceMs + cfg.shutdown.closeMs;
        setTimeout(() => {
          log.error({ limitMs }, 'stop did not finish in time: exiting now; unfinished jobs run again on the next start');
          process.exit(1);
        }, limitMs).unref();
        daemon.stop().then(
          () => {
            log.info('stopped');
            process.exit(exitCode);
          },
          (err) => {
            log.error({ err }, 'stop failed');
            process.exit(1);
          },
        );
      };
      const daemon = await startDaemon(cfg, log, (reason) => {
        log.fatal({ reason }, 'stopping: a service this daemon needs is gone');
        exitCode = 1;
        stop('fatal');
      });
      process.on('SIGINT', () => stop('SIGINT'));
      process.on('SIGTERM', () => stop('SIGTERM'));
    });
}
