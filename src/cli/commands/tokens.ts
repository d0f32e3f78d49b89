import { Option } from 'commander';
import { createToken, revokeToken } from '../../app/access/credentials.ts';
import { parseDuration } from '../../domain/duration.ts';
import { type TokenInfo, type TokenScope, tokenScopes } from '../../ports/credentials.ts';
import { actingIn, byOption } from '../actor.ts';
import { type CliContext, printJson } from '../context.ts';

/** `evidock tokens list --json` (contract: docs/cli-json.md). Never the token: it is shown once, at creation. */
export function tokenJson(t: TokenInfo, now: Date) {
  const state = t.revokedAt ? 'revoked' : t.expiresAt <= now ? 'expired' : 'active';
  return {
    id: t.id, personId: t.personId, label: t.label, scope: t.scope, createdAt: t.createdAt.toISOString(), createdBy: t.createdBy,
    expiresAt: t.expiresAt.toISOString(), revokedAt: t.revokedAt?.toISOString() ?? null, revokedBy: t.revokedBy, state,
  };
}

/** Personal API tokens: created, listed and revoked by an admin on the server (the CLI reaches the database directly). */
export function registerTokens({ program, withCore }: CliContext): void {
  const tokens = program.command('tokens').description('personal API tokens (Authorization: Bearer ...)');

  tokens
    .command('create <badge>')
    .description('create a token for a person; it is printed once and stored only as its SHA-256')
    .option('--expires-in <duration>', 'lifetime: 90m, 12h, 30d, 2w (default api.tokenDays)')
    .option('--label <text>', 'what the token is for')
    .addOption(new Option('--scope <scope>', 'full: what the role allows; metrics: GET /metrics only (for Prometheus)').choices([...tokenScopes]).default('full'))
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (badge: string, opts: { expiresIn?: string; label?: string; scope: TokenScope; json?: boolean; by?: string }) => {
      const { token, info } = await withCore(async (core, config) => {
        const expiresInMs = opts.expiresIn ? parseDuration(opts.expiresIn) : config.api.tokenDays * 86_400_000;
        const by = await actingIn(core, config, opts, 'people:write');
        return createToken(core, badge, { expiresInMs, label: opts.label ?? null, now: new Date(), scope: opts.scope }, by);
      });
      if (opts.json) printJson({ token, ...tokenJson(info, new Date()) });
      else process.stdout.write(`${token}\ntoken ${info.id} for ${info.personId}, expires ${info.expiresAt.toISOString()}; it is not shown again\n`);
    });

  tokens
    .command('list')
    .description('tokens with holder, expiry and state (never the tokens themselves)')
    .option('--badge <badge>', "only this person's")
    .option('--json', 'print JSON (contract: docs/cli-json.md)')
    .option(...byOption)
    .action(async (opts: { badge?: string; json?: boolean; by?: string }) => {
      const now = new Date();
      const rows = (await withCore(async (core, config) => (await actingIn(core, config, opts, 'people:write'), core.credentials.tokens(opts.badge)))).map((t) => tokenJson(t, now));
      if (opts.json) printJson(rows);
      else for (const t of rows) process.stdout.write(`${t.id}  ${t.personId}  ${t.state}  expires ${t.expiresAt}  ${t.label ?? ''}\n`);
    });

  tokens
    .command('revoke <id>')
    .description('revoke a token at once')
    .option(...byOption)
    .action(async (id: string, opts: { by?: string }) => {
      await withCore(async (core, config) => revokeToken(core, id, new Date(), await actingIn(core, config, opts, 'people:write')));
      process.stdout.write(`token ${id} revoked\n`);
    });
}
