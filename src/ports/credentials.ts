import type { Person } from '../domain/people.ts';

/** A privileged role proposed by one person, awaiting a second (separation of duties). */
export interface RoleGrant {
  id: string;
  person: Person;
  proposedAt: Date;
  proposedBy: string;
  reason: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
  decision: 'confirmed' | 'withdrawn' | null;
}

/** `full`: whatever the holder's role allows; `metrics`: only the metrics (a scraper holds no evidence powers). */
export const tokenScopes = ['full', 'metrics'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** A personal API token as listed (never the token itself: only its SHA-256 is stored). */
export interface TokenInfo {
  id: string;
  personId: string;
  label: string | null;
  scope: TokenScope;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
}

/** API tokens, login passwords and web sessions; secrets arrive here already hashed. */
export interface Credentials {
  addToken(token: TokenInfo & { tokenSha256: string }): Promise<void>;
  tokens(personId?: string): Promise<TokenInfo[]>;
  /** Marks a token revoked; false when it does not exist or was revoked already. */
  revokeToken(id: string, at: Date, by: string): Promise<boolean>;
  /** The person holding an unrevoked, unexpired token with this SHA-256. */
  personByToken(tokenSha256: string, now: Date): Promise<(Person & { scope: TokenScope }) | null>;
  setPassword(personId: string, hash: string, at: Date, by: string): Promise<void>;
  passwordHash(personId: string): Promise<string | null>;
  addSession(session: { idSha256: string; personId: string; createdAt: Date; expiresAt: Date; from: string }): Promise<void>;
  /** The person of a session that has not ended nor expired. */
  personBySession(idSha256: string, now: Date): Promise<Person | null>;
  endSession(idSha256: string, at: Date): Promise<void>;
  /** Ends every open session of a person but one (the caller's own, when they changed their password). */
  endSessionsOf(personId: string, at: Date, keepIdSha256: string | null): Promise<number>;
  /** The person if on record and not disabled: whoever acts, or holds a link, must be. */
  activePerson(personId: string): Promise<Person | null>;
  /** Disables (at a time) or enables (null) a person; false when nothing changed. */
  setDisabled(personId: string, at: Date | null, by: string): Promise<boolean>;
  /** Counts a failed login for a badge (as typed) in its minute; returns the count of that minute. */
  countFailedLogin(badge: string, minute: Date, from: string): Promise<number>;
  addRoleGrant(grant: Omit<RoleGrant, 'decidedAt' | 'decidedBy' | 'decision'>): Promise<void>;
  roleGrant(id: string): Promise<RoleGrant | null>;
  /** Proposals not decided yet, oldest first. */
  openRoleGrants(): Promise<RoleGrant[]>;
  /** Records the decision; false when the grant was decided already (two people at once: one wins). */
  decideRoleGrant(id: string, decision: 'confirmed' | 'withdrawn', at: Date, by: string): Promise<boolean>;
}
