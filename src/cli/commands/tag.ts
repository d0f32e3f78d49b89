import { InvalidArgumentError } from 'commander';
import type { System } from '../../main/compose.ts';
import { tagEventJson, tagOutcomeJson } from '../../app/tagging/contracts.ts';
import type { TagOutcome } from '../../app/tagging/tagging.ts';
import type { ManualChange } from '../../domain/matching.ts';
import { checkBadge } from '../../domain/people.ts';
import { actingIn, byOption } from '../actor.ts';
import { type CliContext, isoDate, positiveInt, printJson } from '../context.ts';

interface TagOptions {
  case?: string;
  category?: string;
  phase?: string;
  officer?: string;
  auto?: boolean;
  reason?: string;
  history?: boolean;
  whereDevice?: string;
  whereOfficer?: string;
  whereCase?: string;
  whereUntagged?: boolean;
  capturedSince?: Date;
  capturedUntil?: Date;
  limit: number;
  json?: boolean;
  by?: string;
}

const hasSelection = (o: TagOptions) =>
  [o.whereDevice, o.whereOfficer, o.whereCase, o.whereUntagged, o.capturedSince, o.capturedUntil].some((v) => v !== undefined);

/** The items named, or those the --where options select. */
async function selectItems(core: System, ids: string[], o: TagOptions): Promise<string[]> {
  if (ids.length > 0 && hasSelection(o)) throw new InvalidArgumentError('name item ids or select with --where-… options, not both');
  if (ids.length > 0) return ids;
  if (!hasSelection(o)) throw new InvalidArgumentError('name the items (ids from evidock query) or select them with --where-device, --where-officer, --where-case, --where-untagged, --captured-since/--captured-until');
  const items = await core.catalog.queryItems({
    device: o.whereDevice, officer: o.whereOfficer, caseId: o.whereCase, untagged: o.whereUntagged, since: o.capturedSince, until: o.capturedUntil, limit: o.limit,
  });
  return items.map((i) => i.id);
}

function printOutcomes(outcomes: TagOutcome[], json: boolean | undefined): void {
  if (json) return printJson(outcomes.map(tagOutcomeJson));
  for (const o of outcomes) {
    const s = o.state;
    const tags = s.caseId || s.category ? `${s.caseId ?? '(no case)'} ${s.category ?? '-'}/${s.phase ?? '-'} ${s.checklistRow ?? ''}` : 'untagged';
    process.stdout.write(`${o.itemId}  ${o.changed ? 'changed' : 'unchanged'}  ${tags}  officer ${s.officerId ?? '-'}  (${s.tagSource})\n`);
  }
}

/** `evidock tag`: a person's tags (appended with who, when, why), handing items back to matching, and tag history. */
export function registerTag({ program, withCore }: CliContext): void {
  program
    .command('tag [itemIds...]')
    .description('set tags on items (by id, or in bulk with --where-…): appended as tag events; the S3 tags of the original follow')
    .option('--case <caseId>')
    .option('--category <code>', 'a checklist category (with --phase)')
    .option('--phase <code>', 'a checklist phase')
    .option('--officer <badge>')
    .option('--auto', 'drop the tags a person set and match the items again')
    .option('--reason <text>', 'why (required for a change)')
    .option('--history', "show the items' tag history instead")
    .option('--where-device <serial>')
    .option('--where-officer <badge>')
    .option('--where-case <caseId>')
    .option('--where-untagged', 'items with no case')
    .option('--captured-since <iso>', 'captured at or after', isoDate)
    .option('--captured-until <iso>', 'captured before', isoDate)
    .option('--limit <n>', 'at most this many items', positiveInt, 1000)
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (ids: string[], o: TagOptions) => {
      const change: ManualChange = {
        ...(o.case !== undefined && { caseId: o.case }), ...(o.category !== undefined && { category: o.category }),
        ...(o.phase !== undefined && { phase: o.phase }), ...(o.officer !== undefined && { officerId: checkBadge(o.officer) }),
      };
      const changes = Object.keys(change).length > 0;
      if (o.history) {
        const history = await withCore(async (core, config) => (await actingIn(core, config, o, 'items:read'), Promise.all((await selectItems(core, ids, o)).map(async (id) => ({ itemId: id, events: (await core.tags.tagHistory(id)).map(tagEventJson) })))));
        if (o.json) return printJson(history);
        for (const h of history) for (const e of h.events) process.stdout.write(`${h.itemId}  ${e.at}  ${e.actor}  ${e.source}  ${e.current.caseId ?? '-'} ${e.current.category ?? '-'}/${e.current.phase ?? '-'}  ← ${e.previous.caseId ?? '-'}  ${e.reason}\n`);
        return;
      }
      if (changes === !!o.auto) throw new InvalidArgumentError('give the tags to set (--case, --category/--phase, --officer) or --auto, not both');
      if (!o.reason) throw new InvalidArgumentError('say why with --reason "…": tag changes are kept with who, when and why');
      const outcomes = await withCore(async (core, config) => {
        const act = { actor: (await actingIn(core, config, o, 'items:tag')).actor, at: new Date(), reason: o.reason! };
        if (o.officer && !(await core.registry.person(o.officer))) throw new Error(`no person with badge "${o.officer}"; add them first: evidock people add ${o.officer} --name ... --role ...`);
        const results: TagOutcome[] = [];
        for (const id of await selectItems(core, ids, o)) results.push(await (o.auto ? core.tagging.release(id, act) : core.tagging.tagManually(id, change, act)));
        return results;
      });
      printOutcomes(outcomes, o.json);
    });
}
