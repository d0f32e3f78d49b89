import { setPassword } from '../../app/access/credentials.ts';
import { actingIn, byOption } from '../actor.ts';
import type { CliContext } from '../context.ts';

/** Reads a password from a terminal without echoing it, or the whole of standard input when it is piped. */
async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let text = '';
    for await (const chunk of stdin) text += chunk;
    return text.replace(/\r?\n$/, '');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chars: string) => {
      for (const c of chars) {
        if (c === '\r' || c === '\n') return done(null);
        if (c === '\u0003') return done(new Error('cancelled'));
        text = c === '\u007f' ? text.slice(0, -1) : text + c;
      }
    };
    const done = (error: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    stdin.on('data', onData);
  });
}

/** Web login passwords (scrypt-hashed); see docs/decisions.md for why people log in with a password. */
export function registerPasswords({ program, withCore }: CliContext): void {
  program
    .command('passwords')
    .description('web login passwords')
    .command('set <badge>')
    .description("set a person's web login password (typed without echo, or piped on standard input)")
    .option(...byOption)
    .action(async (badge: string, opts: { by?: string }) => {
      const password = await readPassword(`new password for ${badge}: `);
      await withCore(async (core, config) => setPassword(core, badge, password, new Date(), await actingIn(core, config, opts, 'people:write')));
      process.stdout.write(`password of ${badge} set\n`);
    });
}
