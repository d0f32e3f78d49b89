/** One byte range of a resource of `size` bytes, inclusive ends (as HTTP writes them). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Reads an HTTP Range header for a single range (`bytes=a-b`, `bytes=a-`, `bytes=-n`): null means "send
 * the whole", `unsatisfiable` a 416. Several ranges at once are answered with the whole (RFC 9110 allows it).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null | 'unsatisfiable' {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (size === 0) return 'unsatisfiable';
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
