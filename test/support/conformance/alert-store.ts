import { beforeEach, describe, expect, it } from 'vitest';
import type { Condition } from '../../../src/domain/alerts.ts';
import type { AlertStore } from '../../../src/ports/alerts.ts';

const condition = (key: string, over: Partial<Condition> = {}): Condition => ({
  key, kind: 'device-not-docked', severity: 'warning', subject: `device:${key}`, message: `m ${key}`, details: { serial: key, n: 1 }, once: false, ...over,
});
const at = (iso: string) => new Date(`2026-05-01T${iso}Z`);

/** One behaviour for every AlertStore (memory, PostgreSQL), each test on an empty store. */
export function describeAlertStoreConformance(label: string, makeStore: () => Promise<AlertStore>): void {
  describe(`alert store conformance: ${label}`, () => {
    let store: AlertStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    it('raises an alert for a condition and lists it as active until cleared', async () => {
      const raised = await store.raise(condition('A'), at('08:00:00'));
      expect(raised).toMatchObject({ ...condition('A'), raisedAt: at('08:00:00'), seenAt: at('08:00:00'), clearedAt: null });
      expect(await store.get(raised!.id)).toEqual(raised);
      expect(await store.active()).toEqual([raised]);
      expect(await store.get('01HZZZZZZZZZZZZZZZZZZZZZZZ')).toBeNull();
    });

    it('one active alert per key: a second raise answers null; once cleared, the key can be raised anew', async () => {
      const first = await store.raise(condition('A'), at('08:00:00'));
      expect(await store.raise(condition('A', { message: 'again' }), at('08:05:00'))).toBeNull();
      const cleared = await store.clear(first!.id, at('09:00:00'));
      expect(cleared).toMatchObject({ id: first!.id, clearedAt: at('09:00:00') });
      expect(await store.clear(first!.id, at('09:01:00'))).toBeNull();
      expect(await store.active()).toEqual([]);
      const second = await store.raise(condition('A'), at('10:00:00'));
      expect(second!.id).not.toBe(first!.id);
    });

    it('refreshes message, details and severity of an active alert; its seen time only moves forward; a cleared alert stays as it was', async () => {
      const a = await store.raise(condition('A'), at('08:00:00'));
      await store.refresh(a!.id, condition('A', { message: 'worse', severity: 'critical', details: { n: 2 } }), at('08:10:00'));
      await store.refresh(a!.id, condition('A', { message: 'worse', severity: 'critical', details: { n: 2 } }), at('08:05:00'));
      expect(await store.get(a!.id)).toMatchObject({ message: 'worse', severity: 'critical', details: { n: 2 }, seenAt: at('08:10:00'), raisedAt: at('08:00:00') });
      await store.clear(a!.id, at('09:00:00'));
      await store.refresh(a!.id, condition('A', { message: 'after' }), at('09:30:00'));
      expect((await store.get(a!.id))?.message).toBe('worse');
    });

    it('lists alerts raised or cleared since a time, newest first', async () => {
      const old = await store.raise(condition('OLD'), at('01:00:00'));
      await store.raise(condition('A'), at('08:00:00'));
      const b = await store.raise(condition('B'), at('08:30:00'));
      await store.clear(old!.id, at('09:00:00'));
      expect((await store.recent(at('07:00:00'), 10)).map((x) => x.key)).toEqual(['OLD', 'B', 'A']);
      expect((await store.recent(at('08:15:00'), 2)).map((x) => x.id)).toEqual([old!.id, b!.id]);
    });
  });
}
