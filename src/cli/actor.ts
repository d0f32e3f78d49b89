import { hostname, userInfo } from 'node:os';
import type { Config } from '../config/schema.ts';
import type { System } from '../main/compose.ts';
import { actions, type Action, can } from '../domain/permissions.ts';
import type { Person } from '../domain/people.ts';
import type { Credentials } from '../ports/credentials.ts';

/** Who acts from the CLI: a person on record, and the operating-system account that ran the command. */
export interface CliActor {
  actor: string;
  /** `cli:<os user>@<host>`: recorded beside the person in every event (`from`). */
  from: string;
  person: Person;
}

export const cliOrigin = (): string => `cli:${userInfo().username}@${hostname()}`;

/**
 * The person acting (`--by`, else $EVIDOCK_ACTOR), checked like an API caller: on record, enabled, and
 * allowed the action by the same permission table (src/domain/permissions.ts). The CLI reaches the
 * services with the daemon's own credentials, so without this anyone able to run it could act as anyone.
 */
export async function actingPerson(people: Pick<Credentials, 'activePerson'>, opts: { by?: string }, action: Action): Promise<CliActor> {
  const badge = opts.by ?? process.env.EVIDOCK_ACTOR;
  if (!badge) throw new Error(`say who acts: --by <badge> or $EVIDOCK_ACTOR, a person on record whose role may ${actions[action].what} (${action})`);
  const person = await people.activePerson(badge);
  if (!person) throw new Error(`"${badge}" is not an enabled person on record; an admin adds people with "evidock people add" (and enables them with "evidock people enable")`);
  if (!can(person.role, action)) throw new Error(`${badge}'s role (${person.role}) may not ${actions[action].what}: it lacks the permission ${action}`);
  return { actor: person.id, from: cliOrigin(), person };
}

export const byOption = ['--by <badge>', 'the person acting, on record and allowed this (default $EVIDOCK_ACTOR)'] as const;

/** `actingPerson` over a CLI command's connection. */
export const actingIn = (core: System, _config: Config, opts: { by?: string }, action: Action): Promise<CliActor> => actingPerson(core.credentials, opts, action);
