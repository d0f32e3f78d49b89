import type { PgPool } from '../../adapters/postgres/transaction.ts';
import { MinioObjectLock } from '../../adapters/minio-object-lock.ts';
import type { MinioObjectStore } from '../../adapters/minio-object-store.ts';
import { PgAuditLog } from '../../adapters/postgres/pg-audit-log.ts';
import { PgLockRecords } from '../../adapters/postgres/pg-lock-records.ts';
import { PgVerifySubjects } from '../../adapters/postgres/pg-verify-subjects.ts';
import type { Config } from '../../config/schema.ts';
import type { RetentionClass } from '../../domain/checklist.ts';
import { systemClock } from '../../ports/clock.ts';
import { LockKeeper } from './evidence-locks.ts';

/** The integrity parts of the core: the chained log, object lock and listing, lock records, the lock keeper, verify's subjects. */
export function integrityParts(
  config: Config,
  pool: PgPool,
  store: MinioObjectStore,
  checklistClass: (rowId: string) => RetentionClass | null = () => null,
) {
  const audit = new PgAuditLog(pool);
  const objects = new MinioObjectLock(store.client, store.bucket);
  const lockRecords = new PgLockRecords(pool);
  const locks = new LockKeeper({ config, clock: systemClock, store, lock: objects, records: lockRecords, checklistClass });
  return { audit, logReader: audit, objects, lockRecords, locks, verifySubjects: new PgVerifySubjects(pool) };
}
