import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, journalLines, journalPriority } from '../../src/log.ts';

function sink() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { lines, stream };
}

describe('log lines for journald', () => {
  it('maps pino levels to syslog priorities', () => {
    expect([60, 50, 40, 30, 20, 10].map(journalPriority)).toEqual([2, 3, 4, 6, 7, 7]);
  });

  it('prefixes each JSON line with <priority> and keeps the JSON intact', async () => {
    const { lines, stream } = sink();
    const log = createLogger('debug', journalLines(stream) as unknown as NodeJS.WritableStream);
    log.warn({ sessionId: 's1' }, 'bay safe to undock');
    log.error('broken');
    log.debug('detail');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.slice(0, 3))).toEqual(['<4>', '<3>', '<7>']);
    expect(JSON.parse(lines[0]!.slice(3))).toMatchObject({ level: 40, msg: 'bay safe to undock', sessionId: 's1' });
  });
});
