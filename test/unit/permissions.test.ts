import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roles } from '../../src/domain/people.ts';
import { type Action, actions, actionsOf, can, canSee, checkLevel, clearance, levels, permissionTable, visibleLevels } from '../../src/domain/permissions.ts';

const allActions = Object.keys(actions) as Action[];

describe('the role × action table', () => {
  it('names only known roles, and every action has a row', () => {
    expect(Object.keys(permissionTable).sort()).toEqual([...allActions].sort());
    for (const action of allActions) for (const role of permissionTable[action]) expect(roles).toContain(role);
  });

  it('walks every role and action: allowed exactly where the table lists the role', () => {
    for (const role of roles) {
      for (const action of allActions) expect(can(role, action), `${role} ${action}`).toBe(permissionTable[action].includes(role));
      expect(actionsOf(role)).toEqual(allActions.filter((a) => permissionTable[a].includes(role)));
    }
  });

  it('keeps auxiliary staff to clerical work: search, tag, copy requests, never approve, file, close or export (A3)', () => {
    for (const action of ['items:search', 'items:tag', 'copies:create', 'activities:write'] as const) expect(can('auxiliary', action)).toBe(true);
    for (const action of ['copies:decide', 'copies:export', 'items:download', 'case-files:create', 'case-files:archive', 'cases:close'] as const) {
      expect(can('auxiliary', action), action).toBe(false);
    }
  });

  it('lets only the head approve copies (B8), and no admin read evidence', () => {
    expect(roles.filter((r) => can(r, 'copies:decide'))).toEqual(['head']);
    const evidenceActions = allActions.filter((a) => a.startsWith('items:') || a === 'trail:read');
    for (const action of evidenceActions) expect(can('admin', action), action).toBe(false);
  });

  it('matches the table written in docs/api.md, cell by cell', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/api.md'), 'utf8');
    const header = doc.split('\n').find((l) => l.startsWith('| action |'))!;
    const columns = header.split('|').map((c) => c.trim()).filter(Boolean).slice(1, 1 + roles.length);
    expect(columns).toEqual([...roles]);
    for (const action of allActions) {
      const line = doc.split('\n').find((l) => l.startsWith(`| \`${action}\` |`));
      expect(line, `docs/api.md has a row for ${action}`).toBeDefined();
      const cells = line!.split('|').map((c) => c.trim()).slice(2, 2 + roles.length);
      expect(cells, action).toEqual(roles.map((r) => (can(r, action) ? '✓' : '–')));
    }
  });
});

describe('confidentiality', () => {
  it('orders the levels and gives each role the levels up to its clearance', () => {
    expect(visibleLevels('officer')).toEqual(['normal']);
    expect(visibleLevels('archivist')).toEqual(['normal', 'restricted']);
    expect(visibleLevels('head')).toEqual([...levels]);
    for (const role of roles) for (const level of levels) expect(canSee(role, level)).toBe(visibleLevels(role).includes(level));
    expect(clearance.auxiliary).toBe('normal');
  });

  it('refuses an unknown level with the valid ones', () => {
    expect(checkLevel('restricted')).toBe('restricted');
    expect(() => checkLevel('secret')).toThrow('use one of: normal, restricted, confidential');
  });
});
