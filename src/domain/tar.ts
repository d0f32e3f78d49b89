/**
 * A POSIX ustar archive written as a stream of buffers: the export package is streamed from the object
 * store straight into the response, with sizes known in advance from the catalog.
 */
const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** The 512-byte header of one regular file. Names are ASCII and at most 100 bytes (ours are ids). */
export function tarHeader(name: string, size: number, mtime: Date): Buffer {
  if (!/^[\x20-\x7e]{1,100}$/.test(name)) throw new Error(`tar entry name "${name}" must be 1-100 printable ASCII characters`);
  const header = Buffer.alloc(BLOCK);
  header.write(name, 0, 'ascii');
  header.write(octal(0o644, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii');
  header.write(octal(0, 8), 116, 'ascii');
  header.write(octal(size, 12), 124, 'ascii');
  header.write(octal(Math.floor(mtime.getTime() / 1000), 12), 136, 'ascii');
  header.write('        ', 148, 'ascii');
  header.write('0', 156, 'ascii');
  header.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** Zero bytes that bring an entry of `size` bytes to a whole block. */
export function tarPadding(size: number): Buffer {
  return Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);
}

/** Two zero blocks end the archive. */
export const tarEnd = Buffer.alloc(2 * BLOCK);

/** Bytes of the archive holding files of these sizes (for Content-Length). */
export function tarSize(sizes: number[]): number {
  return sizes.reduce((total, size) => total + BLOCK + size + tarPadding(size).length, 0) + tarEnd.length;
}
