import { userInfo } from 'node:os';

/**
 * Who is acting, for the who/when/why of changes made from the CLI: `--by`, else $EVIDOCK_ACTOR, else
 * the login name. (The HTTP API takes it from the authenticated user.)
 */
export function actorOf(opts: { by?: string }): string {
  return opts.by ?? process.env.EVIDOCK_ACTOR ?? userInfo().username;
}

export const byOption = ['--by <badge>', 'who is acting (default $EVIDOCK_ACTOR or the login name)'] as const;
