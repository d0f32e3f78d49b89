import { startWorkers } from '../adapters/bullmq-jobs.ts';
import { buildApiServer } from '../api/server.ts';
import { startServices } from '../adapters/embedded/services.ts';
import { FfprobeMediaProbe } from '../adapters/ffprobe-media-probe.ts';
import { FolderDeviceSource } from '../adapters/folder-device-source.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { systemClock } from '../ports/clock.ts';
import { apiServices } from './api-wiring.ts';
import type { AppDeps } from './deps.ts';
import { HeadSealer, startSealing } from './integrity/seals.ts';
import { DockController } from './dock.ts';
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
    const deps: AppDeps = { config, log, ...core, probe: new FfprobeMediaProbe(), clock: systemClock };

    // Scanning and securing read the device, so they run where it is plugged in: the dock role.
    // The worker role takes the media stages (probe, transcode, thumbnails) as they are added.
    if (config.roles.includes('dock')) {
      const workers = startWorkers(
        {
          redisUrl: services.endpoints.redisUrl,
          dockHost: config.dockHost,
          attempts: config.secure.attempts,
          backoffMs: config.secure.backoffMs,
          concurrency: { 'scan-device': 1, 'secure-file': config.secure.concurrency },
          lockDurationMs: config.secure.lockDurationMs,
          log,
        },
        buildProcessors(deps),
        finalFailureHandler(deps),
      );
      closers.push(() => workers.close(config.shutdown.graceMs));
      const source = new FolderDeviceSource(config.dock.paths, config.dock.settleMs);
      const dock = new DockController(deps);
      await source.start((event) => void dock.handle(event));
      closers.push(() => source.stop());
    }
    if (config.roles.includes('api')) {
      const api = await buildApiServer({ deps, services: apiServices(core) });
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
