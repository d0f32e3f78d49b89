import type pg from 'pg';
import type { FailedFileReopener } from '../../ports/job-admin.ts';
import { inTransaction } from './transaction.ts';

/** Reopens a failed session file and its ended session, in one transaction, sharing the catalog's pool. */
export class PgFailedFileReopener implements FailedFileReopener {
  constructor(private readonly pool: pg.Pool) {}

  async reopenSessionFile(sessionId: string, relPath: string): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const file = await db.query(
        `UPDATE session_files SET state = 'pending', reason = NULL WHERE session_id = $1 AND rel_path = $2 AND state = 'failed'`,
        [sessionId, relPath],
      );
      if (file.rowCount === 0) return false;
      // Only a session that ended in `attention` is reopened; one interrupted by an undock stays so.
      await db.query(`UPDATE dock_sessions SET state = 'securing', reason = NULL, ended_at = NULL WHERE id = $1 AND state = 'attention'`, [sessionId]);
      return true;
    });
  }
}
