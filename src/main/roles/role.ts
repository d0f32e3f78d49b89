import type { Workers } from '../../ports/jobs.ts';

/** A started role, as the phased stop sees it. */
export interface RunningRole {
  name: 'dock' | 'worker' | 'api';
  /** Phase 1: stop taking new work (devices, requests); running jobs go on. */
  stopIntake(): Promise<void>;
  /** Phase 2, beside the workers: work in hand that is not a job (a device being admitted) ends. */
  drain?(): Promise<void>;
  /** Paused in phase 1, closed in phase 2 (running jobs finish or are released within one grace time). */
  workers: Workers[];
}
