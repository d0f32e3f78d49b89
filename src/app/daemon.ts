import { startWorkers } from '../adapters/bullmq-jobs.ts';
import { buildApiServer } from '../api/server.ts';
import { startServices } from '../adapters/embedded/services.ts';
import { FfmpegTools } from '../adapters/ffmpeg/ffmpeg-tools.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { systemClock } from '../ports/clock.ts';
import { apiServices } from './api-wiring.ts';
import type { AppDeps } from './deps.ts';
import { HeadSealer, startSealing } from './integrity/seals.ts';
import { startDocking } from './dock/docking.ts';
import { scheduleDeadlineChecks } from './admin/check-deadlines.ts';
import { startMediaRole } from './media/worker-role.ts';
import { yieldMediaToDocking } from './media/yield-to-docking.ts';
import { buildProcessors, finalFailureHandler } from './processors.ts';
import { connectCore } from './wiring.ts';

export interface RunningDaemon {
  /** Two phases: stop taking devices and jobs (running ones finish or are released), then close connections and services. */
  stop(): Promise<void>;
}

/** Every role in one process: services (embedded or configured), workers, and the dock watcher. */
export async function startDaemon(config: Config, log: Logger, onFatal: (reason: string) => void): Promise<RunningDaemon> {
  // An embedded server that dies cannot be worked around: stop, so a supervisor (systemd) restarts us whole.
  const services = await startServices(config, log, {
    readyTimeoutMs: config.readyTimeoutMs,
    onUnexpectedExit: (service, code, signal) => onFatal(`embedded ${service} exited unexpectedly (code ${code}, signal ${signal})`),
  });
  const closers: Array<() => Promise<void>> = [() => services.stop()];
  const stopAll = async () => {
    for (const close of closers.reverse()) await close().catch((err) => log.error({ err }, 'error while stopping'));
  };
  let apiAddress: string | null = null;
  try {
    const core = await connectCore(config, services.endpoints);
    closers.push(() => core.close());
    // The audit chain head is sealed into the bucket at intervals, and on stop once more after the last
    // job has finished (closers run in reverse), before the connections close.
    const sealing = startSealing(new HeadSealer({ ...core, config, clock: systemClock }, config.dockHost), config.audit.sealIntervalMs, log);
    closers.push(() => sealing.stop());
    const deps: AppDeps = { config, log, ...core, probe: new FfmpegTools(config.media.probeTimeoutMs), clock: systemClock };

    // Scanning and securing read the device, so they run where it is plugged in: the dock role.
    // The worker role takes the media stages (probe, transcode, thumbnails, publish), from any host.
    if (config.roles.includes('dock')) {
      const workers = startWorkers(
        {
          redisUrl: services.endpoints.redisUrl,
          dockHost: config.dockHost,
          attempts: config.secure.attempts,
          backoffMs: config.secure.backoffMs,
          mediaQueuePrefix: config.media.queuePrefix,
          concurrency: { 'scan-device': 1, 'secure-file': config.secure.concurrency, 'wipe-device': 1, 'check-deadlines': 1, 'deliver-alert': 1 },
          lockDurationMs: config.secure.lockDurationMs,
          log,
          observer: core.admin.metrics,
        },
        buildProcessors(deps),
        finalFailureHandler(deps),
      );
      closers.push(() => workers.close(config.shutdown.graceMs));
      await scheduleDeadlineChecks(deps);
      const docking = await startDocking(deps);
      closers.push(() => docking.stop());
    }
    if (config.roles.includes('worker')) {
      const media = await startMediaRole(deps, services.endpoints.redisUrl);
      closers.push(() => media.close(config.shutdown.graceMs));
      if (config.roles.includes('dock') && config.media.yieldToDocking) {
        const stopYielding = yieldMediaToDocking(deps, media);
        closers.push(async () => stopYielding());
      }
    }
    if (config.roles.includes('api')) {
      const api = await buildApiServer({ deps, services: apiServices(core, config) });
      apiAddress = await api.listen({ host: config.api.host, port: config.api.port });
      // Closed first on stop: no new requests while jobs finish.
      closers.push(() => api.close());
    }
    log.info({ dockPaths: config.dock.paths, dockHost: config.dockHost, roles: config.roles, apiAddress }, 'evidock started');
  } catch (error) {
    await stopAll();
    throw error;
  }
  return { stop: stopAll };
}
