import type { AuditEvent, AuditLog } from '../ports/audit-log.ts';
import type { CliActor } from './actor.ts';

/**
 * Records a CLI act on evidence in the chained log (regulation A10(2): every read, export and change is
 * recorded): who (the checked person), from which account and host, on what, how it ended.
 */
export async function auditCli(audit: AuditLog, by: CliActor, event: Omit<AuditEvent, 'actor' | 'from'>): Promise<void> {
  await audit.append({ ...event, actor: by.actor, from: by.from });
}
