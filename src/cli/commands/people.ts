import { savePerson } from '../../app/access/register.ts';
import { personJson } from '../../app/tagging/contracts.ts';
import { checkRole, roles } from '../../domain/people.ts';
import { actorOf, byOption } from '../actor.ts';
import { type CliContext, printJson } from '../context.ts';

/** People on record (regulation A13): badge, name, unit, role. */
export function registerPeople({ program, withCore }: CliContext): void {
  const people = program.command('people').description('people on record: officers, auxiliary staff, archivists, …');

  people
    .command('add <badge>')
    .description('add a person (or change name, unit and role of one on record)')
    .requiredOption('--name <name>')
    .requiredOption('--role <role>', roles.join(' | '))
    .option('--unit <unit>')
    .option('--reason <text>')
    .option(...byOption)
    .action(async (badge: string, opts: { name: string; role: string; unit?: string; reason?: string; by?: string }) => {
      const person = { id: badge, name: opts.name, unit: opts.unit ?? null, role: checkRole(opts.role) };
      const outcome = await withCore((core) => savePerson(core, person, { actor: actorOf(opts), at: new Date(), reason: opts.reason ?? null }));
      process.stdout.write(`${badge} ${outcome}\n`);
    });

  people
    .command('list')
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .action(async (opts: { json?: boolean }) => {
      const rows = (await withCore((core) => core.registry.people())).map(personJson);
      if (opts.json) printJson(rows);
      else for (const p of rows) process.stdout.write(`${p.id}  ${p.name}  ${p.role}  ${p.unit ?? '-'}\n`);
    });
}
