import { startServices } from '../adapters/embedded/services.ts';
import { HeadSealer, startSealing } from '../app/integrity/seals.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log.ts';
import { systemClock } from '../ports/clock.ts';
import { compose, type System } from './compose.ts';
import { startApiRole } from './roles/api.ts';
import { startDockRole } from './roles/dock.ts';
import type { RunningRole } from './roles/role.ts';
import { startWorkerRole } from './roles/worker.ts';
import { stopInPhases } from './shutdown.ts';

export interface RunningDaemon {
  /** In phases: stop taking devices, requests and jobs; let running jobs finish within one grace time; close connections and services. */
  stop(): Promise<void>;
}

/** Every role in one process: services (embedded or configured), workers, the dock watcher and the API. */
export async function startDaemon(config: Config, log: Logger, onFatal: (reason: string) => void): Promise<RunningDaemon> {
  // An embedded server that dies cannot be worked around: stop, so a supervisor (systemd) restarts us whole.
  const services = await startServices(config, log, {
    readyTimeoutMs: config.readyTimeoutMs,
    onUnexpectedExit: (service, code, signal) => onFatal(`embedded ${service} exited unexpectedly (code ${code}, signal ${signal})`),
  });
  const roles: RunningRole[] = [];
  // Closed last, in this order, after every job has finished.
  const connections: Array<{ what: string; close(): Promise<void> }> = [{ what: 'services', close: () => services.stop() }];
  const stop = () => stopInPhases({ roles, connections: [...connections].reverse(), graceMs: config.shutdown.graceMs, log });
  let apiAddress: string | null = null;
  try {
    const system: System = await compose(config, services.endpoints, { log, clock: systemClock });
    connections.push({ what: 'connections', close: () => system.close() });
    // The audit chain head is sealed into the bucket at intervals, and on stop once more after the last
    // job has finished, before the connections close.
    const sealing = startSealing(new HeadSealer(system, config.dockHost), config.audit.sealIntervalMs, log);
    connections.push({ what: 'audit sealing', close: () => sealing.stop() });
    if (config.roles.includes('dock')) roles.push(await startDockRole(system));
    if (config.roles.includes('worker')) roles.push(await startWorkerRole(system));
    if (config.roles.includes('api')) {
      const api = await startApiRole(system);
      roles.push(api);
      apiAddress = api.address;
    }
    log.info({ dockPaths: config.dock.paths, dockHost: config.dockHost, roles: config.roles, apiAddress }, 'evidock started');
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
