import type { Person } from '../domain/people.ts';

/** A personal API token as listed (never the token itself: only its SHA-256 is stored). */
export interface TokenInfo {
  id: string;
  personId: string;
  label: string | null;
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
  personByToken(tokenSha256: string, now: Date): Promise<Person | null>;
  setPassword(personId: string, hash: string, at: Date, by: string): Promise<void>;
  passwordHash(personId: string): Promise<string | null>;
  addSession(session: { idSha256: string; personId: string; createdAt: Date; expiresAt: Date; from: string }): Promise<void>;
  /** The person of a session that has not ended nor expired. */
  personBySession(idSha256: string, now: Date): Promise<Person | null>;
  endSession(idSha256: string, at: Date): Promise<void>;
}
