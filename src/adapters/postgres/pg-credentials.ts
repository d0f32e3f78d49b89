import type pg from 'pg';
import type { Person } from '../../domain/people.ts';
import type { Credentials, TokenInfo } from '../../ports/credentials.ts';

const toPerson = (r: Record<string, any>): Person => ({ id: r.id, name: r.name, unit: r.unit, role: r.role });

function toToken(r: Record<string, any>): TokenInfo {
  return {
    id: r.id, personId: r.person_id, label: r.label, createdAt: r.created_at, createdBy: r.created_by,
    expiresAt: r.expires_at, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
  };
}

/** Tokens, passwords and sessions in PostgreSQL (migration 006), sharing the catalog's pool. */
export class PgCredentials implements Credentials {
  constructor(private readonly pool: pg.Pool) {}

  async addToken(t: TokenInfo & { tokenSha256: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_tokens (id, person_id, token_sha256, label, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [t.id, t.personId, t.tokenSha256, t.label, t.createdAt, t.createdBy, t.expiresAt],
    );
  }

  async tokens(personId?: string): Promise<TokenInfo[]> {
    const { rows } = await this.pool.query(`SELECT * FROM api_tokens WHERE $1::text IS NULL OR person_id = $1 ORDER BY id`, [personId ?? null]);
    return rows.map(toToken);
  }

  async revokeToken(id: string, at: Date, by: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`UPDATE api_tokens SET revoked_at = $2, revoked_by = $3 WHERE id = $1 AND revoked_at IS NULL`, [id, at, by]);
    return rowCount === 1;
  }

  async personByToken(tokenSha256: string, now: Date): Promise<Person | null> {
    const { rows } = await this.pool.query(
      `SELECT p.* FROM api_tokens t JOIN people p ON p.id = t.person_id
        WHERE t.token_sha256 = $1 AND t.revoked_at IS NULL AND t.expires_at > $2`,
      [tokenSha256, now],
    );
    return rows[0] ? toPerson(rows[0]) : null;
  }

  async setPassword(personId: string, hash: string, at: Date, by: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO person_passwords (person_id, hash, set_at, set_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (person_id) DO UPDATE SET hash = excluded.hash, set_at = excluded.set_at, set_by = excluded.set_by`,
      [personId, hash, at, by],
    );
  }

  async passwordHash(personId: string): Promise<string | null> {
    const { rows } = await this.pool.query(`SELECT hash FROM person_passwords WHERE person_id = $1`, [personId]);
    return rows[0]?.hash ?? null;
  }

  async addSession(s: { idSha256: string; personId: string; createdAt: Date; expiresAt: Date; from: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO api_sessions (id_sha256, person_id, created_at, expires_at, from_addr) VALUES ($1, $2, $3, $4, $5)`,
      [s.idSha256, s.personId, s.createdAt, s.expiresAt, s.from],
    );
  }

  async personBySession(idSha256: string, now: Date): Promise<Person | null> {
    const { rows } = await this.pool.query(
      `SELECT p.* FROM api_sessions s JOIN people p ON p.id = s.person_id WHERE s.id_sha256 = $1 AND s.ended_at IS NULL AND s.expires_at > $2`,
      [idSha256, now],
    );
    return rows[0] ? toPerson(rows[0]) : null;
  }

  async endSession(idSha256: string, at: Date): Promise<void> {
    await this.pool.query(`UPDATE api_sessions SET ended_at = $2 WHERE id_sha256 = $1 AND ended_at IS NULL`, [idSha256, at]);
  }
}
