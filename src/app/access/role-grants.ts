import { ulid } from 'ulid';
import { type Person, type Role, roles } from '../../domain/people.ts';
import { type Action, can } from '../../domain/permissions.ts';
import type { AuditLog } from '../../ports/audit-log.ts';
import type { Credentials, RoleGrant } from '../../ports/credentials.ts';
import { RequestError } from '../request-error.ts';
import type { Holder } from './clearance.ts';
import { type RegisterDeps, savePerson } from './register.ts';
import { personJson } from '../tagging/contracts.ts';

/**
 * Separation of duties (docs/decisions.md): approving copies, exporting them and administering accounts
 * are acts with legal effect (B8) or power over who may do them. A role that allows any of them is
 * granted by two people: proposed by one, confirmed by the head or a second admin.
 */
const privilegedActions: Action[] = ['copies:decide', 'copies:export', 'people:write', 'admin:queues'];
export const privilegedRoles: Role[] = roles.filter((r) => privilegedActions.some((a) => can(r, a)));
/** Who may confirm a proposed grant. */
export const confirmingRoles: Role[] = roles.filter((r) => can(r, 'people:confirm'));

export interface GrantDeps extends RegisterDeps {
  credentials: Pick<Credentials, 'activePerson' | 'addRoleGrant' | 'roleGrant' | 'decideRoleGrant'>;
  audit: AuditLog;
}

/** Who acts, from where, when and why. */
export interface PersonChange {
  by: Holder;
  from: string;
  at: Date;
  reason: string | null;
}

export type ChangeOutcome = { outcome: 'added' | 'updated' | 'unchanged' } | { outcome: 'proposed'; grant: RoleGrant };

/**
 * Adds or changes a person. Nobody changes their own role. A change that gives a privileged role waits
 * for a second person's confirmation; anything else is saved at once. Until two people on record may
 * confirm (a new install: its first admin and head), such a grant is saved at once so the agency can
 * start, and its reason says so.
 */
export async function changePerson(deps: GrantDeps, person: Person, change: PersonChange): Promise<ChangeOutcome> {
  const before = await deps.registry.person(person.id);
  if (person.id === change.by.id && before?.role !== person.role) {
    throw new RequestError('forbidden', `nobody changes their own role (separation of duties); ask another admin`, 'role');
  }
  const raises = privilegedRoles.includes(person.role) && before?.role !== person.role;
  const act = { actor: change.by.id, at: change.at, reason: change.reason };
  if (!raises) return { outcome: await savePerson(deps, person, act) };
  if ((await confirmersOnRecord(deps)) < 2) {
    return { outcome: await savePerson(deps, person, { ...act, reason: `set up of a new install (fewer than two people could confirm)${change.reason ? `: ${change.reason}` : ''}` }) };
  }
  const grant = { id: ulid(), person, proposedAt: change.at, proposedBy: change.by.id, reason: change.reason };
  await deps.credentials.addRoleGrant(grant);
  await deps.audit.append({
    actor: change.by.id, action: 'role-proposed', target: `person:${person.id}`, reason: change.reason, result: 'ok', from: change.from,
    details: { grantId: grant.id, role: person.role, previous: before?.role ?? null },
  }, change.at);
  return { outcome: 'proposed', grant: { ...grant, decidedAt: null, decidedBy: null, decision: null } };
}

/** Enabled people who may confirm a grant. */
export async function confirmersOnRecord(deps: Pick<GrantDeps, 'registry' | 'credentials'>): Promise<number> {
  let count = 0;
  for (const p of await deps.registry.people()) if (confirmingRoles.includes(p.role) && (await deps.credentials.activePerson(p.id))) count += 1;
  return count;
}

/** The second person: the head or an admin, neither the proposer nor the person the role is for. */
export async function confirmRoleGrant(deps: GrantDeps, grantId: string, change: PersonChange): Promise<RoleGrant> {
  const grant = await deps.credentials.roleGrant(grantId);
  if (!grant) throw new RequestError('not-found', `no role grant ${grantId}`, 'id');
  if (grant.decision) throw new RequestError('conflict', `role grant ${grantId} was ${grant.decision} already by ${grant.decidedBy}`);
  if (!confirmingRoles.includes(change.by.role)) throw new RequestError('forbidden', `a role grant is confirmed by ${confirmingRoles.join(' or ')}; your role is ${change.by.role}`);
  if (change.by.id === grant.proposedBy || change.by.id === grant.person.id) {
    throw new RequestError('forbidden', `role grant ${grantId} needs a second person: not the one who proposed it (${grant.proposedBy}) nor the one it is for (separation of duties)`);
  }
  if (!(await deps.credentials.decideRoleGrant(grantId, 'confirmed', change.at, change.by.id))) throw new RequestError('conflict', `role grant ${grantId} was decided just now by someone else`);
  const reason = `role ${grant.person.role} proposed by ${grant.proposedBy} (grant ${grantId}), confirmed by ${change.by.id}${change.reason ? `: ${change.reason}` : ''}`;
  await savePerson(deps, grant.person, { actor: change.by.id, at: change.at, reason });
  await deps.audit.append({
    actor: change.by.id, action: 'role-confirmed', target: `person:${grant.person.id}`, reason: change.reason, result: 'ok', from: change.from,
    details: { grantId, role: grant.person.role, proposedBy: grant.proposedBy },
  }, change.at);
  return (await deps.credentials.roleGrant(grantId))!;
}

/** A grant as the API and `people grants --json` give it. */
export function roleGrantJson(g: RoleGrant) {
  return {
    id: g.id, person: personJson(g.person), proposedAt: g.proposedAt.toISOString(), proposedBy: g.proposedBy, reason: g.reason,
    decision: g.decision, decidedAt: g.decidedAt?.toISOString() ?? null, decidedBy: g.decidedBy,
  };
}
