import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { logErrors, watchErrors } from '../../src/adapters/error-watch.ts';
import { createLogger } from '../../src/log.ts';

/** A real pino logger writing into an array, and a clock the test moves. */
function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  let now = 0;
  const watch = watchErrors('queue secure-dock-1', createLogger('info', sink), () => now);
  return { lines, watch, advance: (ms: number) => (now += ms) };
}

describe('background errors are logged on change of state, not per retry', () => {
  it('logs the first error with the component, none of the retries, then the recovery with the count', () => {
    const { lines, watch, advance } = setup();
    for (let i = 0; i < 200; i++) {
      watch.error(new Error('connect ECONNREFUSED 127.0.0.1:6379'));
      advance(500);
    }
    watch.recovered();
    watch.recovered();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'queue secure-dock-1: error; retrying in the background'],
      [30, 'queue secure-dock-1: working again'],
    ]);
    expect(lines[0]).toMatchObject({ component: 'queue secure-dock-1', err: { message: 'connect ECONNREFUSED 127.0.0.1:6379' } });
    expect(lines[1]).toMatchObject({ errors: 200, failedForMs: 100_000 });
  });

  it('reminds at most every five minutes while the errors go on, and starts over after a recovery', () => {
    const { lines, watch, advance } = setup();
    for (let i = 0; i < 12 * 60; i++) {
      watch.error(new Error('down'));
      advance(1000);
    }
    expect(lines.map((l) => l.msg)).toEqual(['queue secure-dock-1: error; retrying in the background', 'queue secure-dock-1: still failing', 'queue secure-dock-1: still failing']);
    watch.recovered();
    watch.error(new Error('down again'));
    expect(lines.at(-1)).toMatchObject({ level: 50, msg: 'queue secure-dock-1: error; retrying in the background', err: { message: 'down again' } });
  });

  it('stays quiet when nothing failed', () => {
    const { lines, watch } = setup();
    watch.recovered();
    expect(lines).toEqual([]);
  });

  it('listens to an emitter, so its errors never end the process, and to the event that says it works again', () => {
    const { lines, watch } = setup();
    const connection = new EventEmitter();
    logErrors(connection, watch, { emitter: connection, event: 'ready' });
    expect(() => connection.emit('error', new Error('ECONNRESET'))).not.toThrow();
    connection.emit('ready');
    expect(lines.map((l) => l.msg)).toEqual(['queue secure-dock-1: error; retrying in the background', 'queue secure-dock-1: working again']);
  });
});
