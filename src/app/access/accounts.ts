import type { AuditLog } from '../../ports/audit-log.ts';
import type { Credentials } from '../../ports/credentials.ts';
import type { Registry } from '../../ports/registry.ts';
import { RequestError } from '../request-error.ts';
import type { Actor } from './credentials.ts';
import { knownPerson } from './register.ts';

export interface AccountDeps {
  registry: Registry;
  credentials: Pick<Credentials, 'setDisabled' | 'endSessionsOf'>;
  audit: AuditLog;
}

/**
 * Disables or enables a person. A disabled person's sessions and tokens stop working at once (they are
 * checked at every request) and their open sessions are ended; their history stays. Nobody disables
 * themselves (an agency could lock out its last admin).
 */
export async function setPersonEnabled(deps: AccountDeps, badge: string, enabled: boolean, at: Date, by: Actor, reason: string | null): Promise<boolean> {
  const person = await knownPerson(deps.registry, badge, enabled ? 'person to enable' : 'person to disable');
  if (person.id === by.actor) throw new RequestError('forbidden', 'nobody disables or enables themselves; ask another admin or the head', 'badge');
  const changed = await deps.credentials.setDisabled(person.id, enabled ? null : at, by.actor);
  const sessionsEnded = !enabled && changed ? await deps.credentials.endSessionsOf(person.id, at, null) : 0;
  await deps.audit.append({
    actor: by.actor, action: enabled ? 'person-enabled' : 'person-disabled', target: `person:${person.id}`, reason, result: 'ok', from: by.from,
    details: { changed, sessionsEnded },
  }, at);
  return changed;
}
