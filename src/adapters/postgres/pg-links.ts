import type pg from 'pg';
import type { Link, Links } from '../../ports/links.ts';

const toLink = (r: Record<string, any>): Link => ({ purpose: r.purpose, subject: r.subject, createdAt: r.created_at, createdBy: r.created_by, expiresAt: r.expires_at });

export class PgLinks implements Links {
  constructor(private readonly pool: pg.Pool) {}

  async addLink(tokenSha256: string, l: Link): Promise<void> {
    await this.pool.query(
      `INSERT INTO links (token_sha256, purpose, subject, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [tokenSha256, l.purpose, l.subject, l.createdAt, l.createdBy, l.expiresAt],
    );
  }

  async link(tokenSha256: string, now: Date): Promise<Link | null> {
    const { rows } = await this.pool.query(`SELECT * FROM links WHERE token_sha256 = $1 AND expires_at > $2 AND revoked_at IS NULL`, [tokenSha256, now]);
    return rows[0] ? toLink(rows[0]) : null;
  }

  async liveLinks(purpose: Link['purpose'], subjectPrefixes: string[], now: Date): Promise<Array<Link & { tokenSha256: string }>> {
    if (subjectPrefixes.length === 0) return [];
    const { rows } = await this.pool.query(
      `SELECT * FROM links WHERE purpose = $1 AND expires_at > $2 AND revoked_at IS NULL
          AND EXISTS (SELECT 1 FROM unnest($3::text[]) AS prefix WHERE starts_with(subject, prefix))`,
      [purpose, now, subjectPrefixes],
    );
    return rows.map((r) => ({ ...toLink(r), tokenSha256: r.token_sha256 }));
  }

  async revokeLink(tokenSha256: string, at: Date, reason: string): Promise<void> {
    await this.pool.query(`UPDATE links SET revoked_at = $2, revoked_reason = $3 WHERE token_sha256 = $1 AND revoked_at IS NULL`, [tokenSha256, at, reason]);
  }
}
