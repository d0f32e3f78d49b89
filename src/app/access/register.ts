import { custodyEvent, type CustodyEvent, type CustodyEventType } from '../../domain/custody.ts';
import { checkBadge, type Person } from '../../domain/people.ts';
import { normalizeSerial } from '../../domain/identity.ts';
import type { Act, Registry } from '../../ports/registry.ts';
import type { Tagging, TagOutcome } from '../tagging/tagging.ts';

export interface RegisterDeps {
  registry: Registry;
  /** Register changes can change who a stored recording belongs to: its matching runs again. */
  tagging: Pick<Tagging, 'rematchPerson' | 'rematchDevice'>;
}

function event(type: CustodyEventType, act: Act, deviceSerial: string | null, details: Record<string, unknown>): CustodyEvent {
  return custodyEvent(type, act.at, act.actor, { deviceSerial }, { ...details, reason: act.reason });
}

/** A person that must exist, with what to do when it does not. */
export async function knownPerson(registry: Registry, badge: string, as: string): Promise<Person> {
  const person = await registry.person(checkBadge(badge));
  if (!person) throw new Error(`no person with badge "${badge}" (${as}); add them first: evidock people add ${badge} --name ... --role ...`);
  return person;
}

export async function savePerson({ registry, tagging }: RegisterDeps, person: Person, act: Act): Promise<'added' | 'updated' | 'unchanged'> {
  checkBadge(person.id);
  const before = await registry.person(person.id);
  const outcome = await registry.savePerson(person, event('person-recorded', act, null, { person: person.id, before, after: person }));
  // A recording whose device named this badge before the person was on record now has a known officer.
  if (outcome === 'added') await tagging.rematchPerson(person.id, { ...act, reason: act.reason ?? `person ${person.id} added` });
  return outcome;
}

export function checkSerial(raw: string): string {
  const serial = normalizeSerial(raw);
  if (serial !== raw) throw new Error(`"${raw}" is not a device serial as evidock writes it; use "${serial}" (letters, digits, ".", "_", "-")`);
  return serial;
}

export async function registerDevice(
  deps: RegisterDeps,
  d: { serial: string; model: string | null; deviceType: string | null; custodian: string | null },
  act: Act,
): Promise<'added' | 'updated'> {
  const serial = checkSerial(d.serial);
  const custodianId = d.custodian === null ? null : (await knownPerson(deps.registry, d.custodian, 'custodian')).id;
  const before = await deps.registry.device(serial);
  const after = { model: d.model ?? before?.model ?? null, deviceType: d.deviceType ?? before?.deviceType ?? null, custodianId: custodianId ?? before?.custodianId ?? null };
  const previous = before ? { model: before.model, deviceType: before.deviceType, custodianId: before.custodianId } : null;
  const outcome = await deps.registry.registerDevice({ serial, model: d.model, deviceType: d.deviceType, custodianId }, event('device-registered', act, serial, { previous, current: after }));
  // Its recordings, and those another dock secured that name it as their camera (an Axis destination's), are matched again.
  await deps.tagging.rematchDevice(serial, new Date(0), { ...act, reason: act.reason ?? `device ${serial} registered` });
  return outcome;
}

/** Appends an assignment; the device must be known (registered or docked) and the officer on record. Its recordings from `from` on are matched again. */
export async function assignDevice(
  deps: RegisterDeps, serialRaw: string, badge: string | null, from: Date, act: Act,
): Promise<{ previousOfficer: string | null; retagged: TagOutcome[] }> {
  const serial = checkSerial(serialRaw);
  const device = await deps.registry.device(serial);
  if (!device) throw new Error(`unknown device "${serial}": register it first with evidock devices register ${serial}`);
  const officerId = badge === null ? null : (await knownPerson(deps.registry, badge, 'officer')).id;
  const history = await deps.registry.assignments(serial);
  const previousOfficer = history.filter((a) => a.validFrom <= from).at(-1)?.officerId ?? null;
  await deps.registry.assign(serial, officerId, from, act, event('device-assigned', act, serial, { officerId, from: from.toISOString(), previousOfficer }));
  const retagged = await deps.tagging.rematchDevice(serial, from, { ...act, reason: act.reason ?? `device ${serial} assigned to ${badge ?? 'nobody'}` });
  return { previousOfficer, retagged };
}
