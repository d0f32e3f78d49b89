import { hostname } from 'node:os';
import type { AuditEvent, AuditLog } from '../ports/audit-log.ts';
import { actorOf } from './actor.ts';

/**
 * Records a CLI act on evidence in the chained log (regulation A10(2): every read, export and change is
 * recorded): who (`--by`, $EVIDOCK_ACTOR or the login name), from which host, on what, how it ended.
 */
/** Where a CLI act comes from, for the audit log. */
export const cliOrigin = (): string => `cli@${hostname()}`;

export async function auditCli(
  audit: AuditLog,
  opts: { by?: string },
  event: Omit<AuditEvent, 'actor' | 'from'>,
): Promise<void> {
  await audit.append({ ...event, actor: actorOf(opts), from: cliOrigin() });
}
