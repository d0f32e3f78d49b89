import { InvalidArgumentError, Option } from 'commander';
import { trailCsv, trailEntryJson } from '../../app/integrity/trail.ts';
import { actingIn, byOption } from '../actor.ts';
import { auditCli } from '../audit.ts';
import { type CliContext, printJson } from '../context.ts';

export function registerTrail({ program, withCore }: CliContext): void {
  program
    .command('trail')
    .description("export an item's or a person's trail (custody and audit entries, with their chain hashes) as CSV or JSON")
    .option('--item <id>', 'an evidence item: its custody events and every audited act that touched it')
    .option('--person <badge>', 'a person: what they did, and what happened to the recordings they are the officer of')
    .addOption(new Option('--format <format>', 'output format').choices(['csv', 'json']).default('csv'))
    .option('--reason <text>', 'why the trail is exported (recorded in the audit log)')
    .option(...byOption)
    .action(async (opts: { item?: string; person?: string; format: 'csv' | 'json'; reason?: string; by?: string }) => {
      if (Boolean(opts.item) === Boolean(opts.person)) throw new InvalidArgumentError('give exactly one of --item <id> or --person <badge>');
      const subject = opts.item ? { itemId: opts.item } : { person: opts.person! };
      const target = opts.item ? `item:${opts.item}` : `person:${opts.person}`;
      const entries = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'trail:read');
        const found = await core.logReader.trail(subject);
        await auditCli(core.audit, by, {
          action: 'trail-export', target, reason: opts.reason ?? null, result: found.length > 0 ? 'ok' : 'failed',
          ...(opts.item ? { itemIds: [opts.item] } : {}), details: { format: opts.format, entries: found.length },
        });
        return found;
      });
      if (entries.length === 0) throw new Error(`no log entries for ${target}: check the ${opts.item ? 'item id (evidock query)' : 'badge number'}`);
      if (opts.format === 'json') printJson(entries.map(trailEntryJson));
      else process.stdout.write(trailCsv(entries));
    });
}
