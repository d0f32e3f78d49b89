import { describe, expect, it } from 'vitest';
import { type Alert, alertMessage, type Condition, NOTICE_MS, planAlerts } from '../../src/domain/alerts.ts';

const t0 = new Date('2026-05-01T08:00:00Z');
const condition = (key: string, once = false): Condition => ({
  key, kind: 'device-not-docked', severity: 'warning', subject: `device:${key}`, message: `about ${key}`, details: {}, once,
});
const alertOf = (c: Condition, raisedAt = t0): Alert => ({ ...c, id: `id-${c.key}`, raisedAt, seenAt: raisedAt, clearedAt: null });
const everything = () => true;

describe('one alert per condition until it clears', () => {
  it('raises a condition found for the first time, once even when found twice in one check', () => {
    const plan = planAlerts([], [condition('a'), condition('a')], t0, everything);
    expect(plan.raise.map((c) => c.key)).toEqual(['a']);
  });

  it('only refreshes a condition that already has an active alert', () => {
    const plan = planAlerts([alertOf(condition('a'))], [{ ...condition('a'), message: 'newer' }], t0, everything);
    expect(plan.raise).toEqual([]);
    expect(plan.refresh.map((r) => r.condition.message)).toEqual(['newer']);
    expect(plan.clear).toEqual([]);
  });

  it('clears an alert whose condition is gone, but only within the check scope', () => {
    const active = [alertOf(condition('mine')), alertOf(condition('theirs'))];
    const plan = planAlerts(active, [], t0, (key) => key === 'mine');
    expect(plan.clear.map((a) => a.key)).toEqual(['mine']);
  });

  it('keeps a one-off alert for a day after it was raised, then clears it', () => {
    const once = alertOf(condition('late', true));
    expect(planAlerts([once], [], new Date(t0.getTime() + NOTICE_MS - 1), everything).clear).toEqual([]);
    expect(planAlerts([once], [], new Date(t0.getTime() + NOTICE_MS), everything).clear.map((a) => a.key)).toEqual(['late']);
  });
});

describe('the webhook message', () => {
  it('carries status, key, kind, subject, message and times', () => {
    const alert = { ...alertOf(condition('a')), clearedAt: new Date(t0.getTime() + 1000) };
    expect(alertMessage(alert, 'resolved')).toEqual({
      source: 'evidock', status: 'resolved', id: 'id-a', key: 'a', kind: 'device-not-docked', severity: 'warning', subject: 'device:a',
      message: 'about a', details: {}, raisedAt: t0.toISOString(), clearedAt: '2026-05-01T08:00:01.000Z',
    });
  });
});
