import { startWorkers } from '../../adapters/bullmq-jobs.ts';
import { FolderDeviceSource } from '../../adapters/folder-device-source.ts';
import { MountDeviceSource } from '../../adapters/mount-device-source.ts';
import { NodeUsbWatcher } from '../../adapters/usb-watcher.ts';
import { scheduleDeadlineChecks } from '../../app/admin/check-deadlines.ts';
import { type DeviceAdapters, startDocking } from '../../app/dock/docking.ts';
import { buildProcessors, finalFailureHandler } from '../../app/processors.ts';
import type { ProcessorTable, Workers } from '../../ports/jobs.ts';
import type { System } from '../compose.ts';
import type { RunningRole } from './role.ts';

/** The device adapters of `dock.paths` and `devices`: folders, mounts, USB. */
export function deviceAdapters({ config, log }: Pick<System, 'config' | 'log'>): DeviceAdapters {
  const { devices } = config;
  return {
    folders: new FolderDeviceSource(config.dock.paths, config.dock.settleMs),
    mounts: new MountDeviceSource({ roots: devices.mountRoots, fsTypes: devices.fsTypes, pollMs: devices.pollMs, log }),
    usb: devices.usb ? new NodeUsbWatcher(log) : null,
  };
}

export interface DockWorkerOptions {
  /** Decorates the processors (tests inject faults with it). */
  wrap?: (table: ProcessorTable) => ProcessorTable;
  /** Also run the deadline checks and alert deliveries (the daemon does; most tests do not). */
  admin?: boolean;
}

/** The workers of the jobs that read a device (scan, secure, wipe), and the admin jobs, on this host's queues. */
export function startDockWorkers(system: System, { wrap = (t) => t, admin = true }: DockWorkerOptions = {}): Workers {
  const { config } = system;
  return startWorkers(
    {
      redisUrl: system.endpoints.redisUrl,
      dockHost: config.dockHost,
      attempts: config.secure.attempts,
      backoffMs: config.secure.backoffMs,
      mediaQueuePrefix: config.media.queuePrefix,
      concurrency: {
        'scan-device': 1, 'secure-file': config.secure.concurrency, 'wipe-device': 1,
        ...(admin ? { 'check-deadlines': 1, 'deliver-alert': 1 } : {}),
      },
      lockDurationMs: config.secure.lockDurationMs,
      log: system.log,
      observer: system.admin.metrics,
    },
    wrap(buildProcessors(system)),
    finalFailureHandler(system),
  );
}

/** Scanning and securing read the device, so they run where it is plugged in: the dock role. */
export async function startDockRole(system: System): Promise<RunningRole> {
  const workers = startDockWorkers(system);
  try {
    await scheduleDeadlineChecks(system);
    const docking = await startDocking(system, deviceAdapters(system));
    return { name: 'dock', workers: [workers], stopIntake: () => docking.stopWatching(), drain: () => docking.stop() };
  } catch (error) {
    await workers.close(0);
    throw error;
  }
}
