import { itemJson } from '../../app/contracts.ts';
import { mediaJson } from '../../app/media/contracts.ts';
import { itemTagsJson } from '../../app/tagging/contracts.ts';
import { actingIn, byOption } from '../actor.ts';
import { auditCli } from '../audit.ts';
import { type CliContext, isoDate, positiveInt, printJson } from '../context.ts';

export function registerQuery({ program, withCore }: CliContext): void {
  program
    .command('query')
    .description('find secured evidence items')
    .option('--device <serial>')
    .option('--officer <badge>')
    .option('--case <caseId>')
    .option('--sha256 <hex>')
    .option('--since <iso>', 'captured at or after', isoDate)
    .option('--until <iso>', 'captured before', isoDate)
    .option('--untagged', 'only items with no case: what needs an archivist')
    .option('--limit <n>', 'at most this many', positiveInt, 1000)
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { device?: string; officer?: string; case?: string; sha256?: string; since?: Date; until?: Date; untagged?: boolean; limit: number; json?: boolean; by?: string }) => {
      const rows = await withCore(async (core, config) => {
        const by = await actingIn(core, config, opts, 'items:search');
        const items = await core.catalog.queryItems({ device: opts.device, officer: opts.officer, caseId: opts.case, sha256: opts.sha256, since: opts.since, until: opts.until, untagged: opts.untagged, limit: opts.limit });
        const media = await core.media.catalog.mediaOf(items.map((i) => i.id));
        const tags = await core.tags.currentTags(items.map((i) => i.id));
        const drift = await core.docks.clockDriftOf(items.map((i) => i.id));
        // Every read of evidence is recorded (regulation A10): who asked what, and which items they saw.
        const { json: _json, by: _by, ...filters } = opts;
        await auditCli(core.audit, by, { action: 'query', target: `query:${JSON.stringify(filters)}`, reason: null, result: 'ok', itemIds: items.map((i) => i.id), details: { found: items.length } });
        return items.map((i) => ({ ...itemJson(i), ...itemTagsJson(tags.get(i.id)), media: mediaJson(media.get(i.id)), clockDriftMs: drift.get(i.id) ?? null }));
      });
      if (opts.json) printJson(rows);
      else for (const r of rows) process.stdout.write(`${r.id}  ${r.sha256.slice(0, 12)}  ${r.capturedAt}  ${r.deviceSerial}  ${r.originalPath}\n`);
    });
}
