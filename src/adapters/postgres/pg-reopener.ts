import type pg from 'pg';
import type { FailedFileReopener } from '../../ports/job-admin.ts';
import { PgDocks } from './pg-docks.ts';

/** Reopens a failed session file through the docks adapter, which owns the dock sessions. */
export class PgFailedFileReopener implements FailedFileReopener {
  private readonly docks: PgDocks;

  constructor(pool: pg.Pool) {
    this.docks = new PgDocks(pool);
  }

  reopenSessionFile(sessionId: string, relPath: string): Promise<boolean> {
    return this.docks.reopenFailedFile(sessionId, relPath);
  }
}
