/** A time-limited link: whoever holds its token may fetch its subject until it expires. */
export interface Link {
  purpose: 'media' | 'export';
  /** `media`: `<itemId>/<role>`; `export`: the copy request's id. */
  subject: string;
  createdAt: Date;
  createdBy: string;
  expiresAt: Date;
}

/** Link tokens are stored as their SHA-256 only. */
export interface Links {
  addLink(tokenSha256: string, link: Link): Promise<void>;
  /** The link if it exists, has not expired and was not revoked. */
  link(tokenSha256: string, now: Date): Promise<Link | null>;
  /** Unrevoked, unexpired links of a purpose whose subject starts with one of the prefixes. */
  liveLinks(purpose: Link['purpose'], subjectPrefixes: string[], now: Date): Promise<Array<Link & { tokenSha256: string }>>;
  revokeLink(tokenSha256: string, at: Date, reason: string): Promise<void>;
}

/** Byte ranges of stored objects, for playback and downloads with HTTP Range. */
export interface ObjectRanges {
  readRange(key: string, versionId: string | null, start: number, length: number): Promise<import('node:stream').Readable>;
}
