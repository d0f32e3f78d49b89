import { userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { actingPerson } from '../../src/cli/actor.ts';
import type { Person } from '../../src/domain/people.ts';

const people: Record<string, Person> = {
  'A-1': { id: 'A-1', name: 'Archivist', unit: null, role: 'archivist' },
  'H-1': { id: 'H-1', name: 'Head', unit: null, role: 'head' },
};
/** The register as the CLI sees it: a disabled person is not active (D-1 is on record but disabled). */
const register = { activePerson: async (id: string) => people[id] ?? null };

describe('the person a CLI command acts as', () => {
  afterEach(() => {
    delete process.env.EVIDOCK_ACTOR;
  });

  it('is a person on record whose role allows the action, with the OS user recorded beside them', async () => {
    const by = await actingPerson(register, { by: 'A-1' }, 'items:tag');
    expect(by).toMatchObject({ actor: 'A-1', person: { role: 'archivist' } });
    expect(by.from).toMatch(new RegExp(`^cli:${userInfo().username}@`));
    process.env.EVIDOCK_ACTOR = 'H-1';
    expect((await actingPerson(register, {}, 'copies:decide')).actor).toBe('H-1');
    expect((await actingPerson(register, { by: 'A-1' }, 'items:tag')).actor).toBe('A-1');
  });

  it('refuses an unknown or disabled badge, a forbidden action naming the permission, and nobody named', async () => {
    await expect(actingPerson(register, { by: 'GHOST-9999' }, 'items:tag')).rejects.toThrow('"GHOST-9999" is not an enabled person on record');
    await expect(actingPerson(register, { by: 'D-1' }, 'items:read')).rejects.toThrow('not an enabled person');
    await expect(actingPerson(register, { by: 'H-1' }, 'items:tag')).rejects.toThrow("H-1's role (head) may not change a recording's tags: it lacks the permission items:tag");
    await expect(actingPerson(register, {}, 'devices:write')).rejects.toThrow('say who acts: --by <badge> or $EVIDOCK_ACTOR');
  });
});
