/** ISO-BMFF brands of HEIF files whose pictures are HEVC-coded (iPhone and Android "HEIC" photos). */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/**
 * Whether a file's first bytes say it is a HEIC photo: an `ftyp` box naming an HEVC brand as its major
 * or a compatible brand. AVIF (HEIF with AV1) is not: the image library here decodes it.
 */
export function isHeic(header: Uint8Array): boolean {
  const bytes = Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return false;
  const end = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
  return brands.some((b) => HEVC_BRANDS.has(b));
}
