import { itemJson } from '../../app/contracts.ts';
import { mediaJson } from '../../app/media/contracts.ts';
import { itemTagsJson } from '../../app/tagging/contracts.ts';
import { actingIn, byOption } from '../actor.ts';
import { auditCli } from '../audit.ts';
import { type CliContext, isoDate, positiveInt, printJson } from '../context.ts';
import { checkUniquePrefix, sha256Prefix } from '../sha256-prefix.ts';

export function registerQuery({ program, withCore }: CliContext): void {
  program
    .command('query')
    .description('find secured evidence items')
    .option('--device <serial>')
    .option('--officer <badge>')
    .option('--case <caseId>')
    .option('--sha256 <hex>', 'the SHA-256, or a unique prefix of it (at least 6 hex digits)', sha256Prefix)
    .option('--since <iso>', 'captured at or after', isoDate)
    .option('--until <iso>', 'captured before', isoDate)
    .option('--untagged', 'only items with no case: what needs an archivist')
    .option('--limit <n>', 'at most this many', positiveInt, 1000)
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { device?: string; officer?: string; case?: string; sha256?: string; since?: Date; until?: Date; untagged?: boolean; limit: number; json?: boolean; by?: string }) => {
      const found = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'items:search');
        const itemFilters = { device: opts.device, officer: opts.officer, caseId: opts.case, sha256: opts.sha256, since: opts.since, until: opts.until, untagged: opts.untagged };
        const items = await core.catalog.queryItems({ ...itemFilters, limit: opts.limit });
        checkUniquePrefix(opts.sha256, items.map((i) => i.sha256));
        // A full page may not be everything: say how much was left out rather than cutting silently.
        const total = items.length === opts.limit ? await core.catalog.countItems(itemFilters) : items.length;
        const media = await core.media.catalog.mediaOf(items.map((i) => i.id));
        const tags = await core.tags.currentTags(items.map((i) => i.id));
        const drift = await core.docks.clockDriftOf(items.map((i) => i.id));
        // Every read of evidence is recorded (regulation A10): who asked what, and which items they saw.
        const { json: _json, by: _by, ...filters } = opts;
        await auditCli(core.audit, by, { action: 'query', target: `query:${JSON.stringify(filters)}`, reason: null, result: 'ok', itemIds: items.map((i) => i.id), details: { found: items.length } });
        return { total, rows: items.map((i) => ({ ...itemJson(i), ...itemTagsJson(tags.get(i.id)), media: mediaJson(media.get(i.id)), clockDriftMs: drift.get(i.id) ?? null })) };
      });
      const { rows, total } = found;
      if (opts.json) printJson(rows);
      else for (const r of rows) process.stdout.write(`${r.id}  ${r.sha256.slice(0, 12)}  ${r.capturedAt}  ${r.deviceSerial}  ${r.originalPath}\n`);
      // On stderr: the JSON array on stdout stays the contract.
      if (rows.length === 0 && !opts.json) process.stderr.write('no items match these filters\n');
      if (total > rows.length) process.stderr.write(`showing ${rows.length} of ${total} items: ${total - rows.length} left out by --limit ${opts.limit} (raise it or narrow the filters)\n`);
    });
}
