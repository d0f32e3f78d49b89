import { userInfo } from 'node:os';
import { setPersonEnabled } from '../../app/access/accounts.ts';
import { changePerson, confirmRoleGrant, roleGrantJson } from '../../app/access/role-grants.ts';
import type { System } from '../../main/compose.ts';
import { personJson } from '../../app/tagging/contracts.ts';
import type { Config } from '../../config/schema.ts';
import { checkRole, roles } from '../../domain/people.ts';
import { can } from '../../domain/permissions.ts';
import { actingIn, byOption, type CliActor, cliOrigin } from '../actor.ts';
import { type CliContext, printJson } from '../context.ts';

/**
 * The person adding people: `--by`, checked like any actor; on a register with nobody who may add people
 * (a new install), the service account itself, recorded as `os:<user>`, adds the first admin.
 */
async function registrar(core: System, config: Config, opts: { by?: string }): Promise<CliActor> {
  const anyAdmin = (await core.registry.people()).some((p) => can(p.role, 'people:write'));
  if (anyAdmin || opts.by || process.env.EVIDOCK_ACTOR) return actingIn(core, config, opts, 'people:write');
  const id = `os:${userInfo().username}`;
  return { actor: id, from: cliOrigin(), person: { id, name: id, unit: null, role: 'admin' } };
}

/** People on record (regulation A13): badge, name, unit, role; who may act, and the roles given by two. */
export function registerPeople({ program, withCore }: CliContext): void {
  const people = program.command('people').description('people on record: officers, auxiliary staff, archivists, …');

  people
    .command('add <badge>')
    .description('add a person (or change name, unit and role); a role that approves, exports or administers is only proposed, for a second person to confirm')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', roles.join(' | '))
    .option('--unit <unit>')
    .option('--reason <text>')
    .option(...byOption)
    .action(async (badge: string, opts: { name: string; role: string; unit?: string; reason?: string; by?: string }) => {
      const person = { id: badge, name: opts.name, unit: opts.unit ?? null, role: checkRole(opts.role) };
      const done = await withCore(async (core, config) => {
        const by = await registrar(core, config, opts);
        return changePerson(core, person, { by: by.person, from: by.from, at: new Date(), reason: opts.reason ?? null });
      });
      if (done.outcome === 'proposed') process.stdout.write(`${badge} proposed as ${person.role}: grant ${done.grant.id}, to be confirmed by the head or another admin (evidock people confirm ${done.grant.id})\n`);
      else process.stdout.write(`${badge} ${done.outcome}\n`);
    });

  people
    .command('list')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .action(async (opts: { json?: boolean }) => {
      const rows = (await withCore((core) => core.registry.people())).map(personJson);
      if (opts.json) printJson(rows);
      else for (const p of rows) process.stdout.write(`${p.id}  ${p.name}  ${p.role}  ${p.unit ?? '-'}\n`);
    });

  people
    .command('grants')
    .description('roles proposed and awaiting a second person')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { json?: boolean; by?: string }) => {
      const rows = await withCore(async (core, config) => {
        await actingIn(core, config, opts, 'people:confirm');
        return (await core.credentials.openRoleGrants()).map(roleGrantJson);
      });
      if (opts.json) printJson(rows);
      else for (const g of rows) process.stdout.write(`${g.id}  ${g.person.id} → ${g.person.role}  proposed by ${g.proposedBy} ${g.proposedAt}  ${g.reason ?? ''}\n`);
    });

  people
    .command('confirm <grantId>')
    .description('confirm a proposed role (the head or another admin; not the proposer nor the person it is for)')
    .option('--reason <text>')
    .option(...byOption)
    .action(async (grantId: string, opts: { reason?: string; by?: string }) => {
      const grant = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'people:confirm');
        return confirmRoleGrant(core, grantId, { by: by.person, from: by.from, at: new Date(), reason: opts.reason ?? null });
      });
      process.stdout.write(`${grant.person.id} is ${grant.person.role} (proposed by ${grant.proposedBy}, confirmed by ${grant.decidedBy})\n`);
    });

  for (const [name, enabled] of [['disable', false], ['enable', true]] as const) {
    people
      .command(`${name} <badge>`)
      .description(enabled ? 'let a disabled person act again' : "stop a person's sessions and tokens at once (their history stays)")
      .option('--reason <text>')
      .option(...byOption)
      .action(async (badge: string, opts: { reason?: string; by?: string }) => {
        const changed = await withCore(async (core, config) => {
          const by = await actingIn(core, config, opts, 'people:disable');
          return setPersonEnabled(core, badge, enabled, new Date(), by, opts.reason ?? null);
        });
        process.stdout.write(`${badge} ${changed ? `${name}d` : `was ${name}d already`}\n`);
      });
  }
}
