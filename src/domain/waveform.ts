/**
 * A recording's waveform: the loudest sample of each column of the picture, drawn as bars around the
 * middle line. Samples arrive in chunks (a long recording is never held whole in memory).
 */
export const WAVEFORM_WIDTH = 1200;
export const WAVEFORM_HEIGHT = 160;

/** Folds a chunk of 16-bit samples, starting at sample `start` of `total`, into per-column peaks (0..1). */
export function addSamples(peaks: Float32Array, samples: Int16Array, start: number, total: number): void {
  const columns = peaks.length;
  for (let i = 0; i < samples.length; i++) {
    const column = Math.min(columns - 1, Math.floor(((start + i) * columns) / Math.max(1, total)));
    const level = Math.abs(samples[i]!) / 32768;
    if (level > peaks[column]!) peaks[column] = level;
  }
}

const BACKGROUND = [255, 255, 255] as const;
const BAR = [32, 86, 160] as const;

/** RGB pixels (width = peaks.length) of the bars: each at least one pixel, so silence shows as a line. */
export function renderWaveform(peaks: Float32Array, height: number): Uint8Array {
  const width = peaks.length;
  const pixels = new Uint8Array(width * height * 3);
  const middle = (height - 1) / 2;
  for (let x = 0; x < width; x++) {
    const half = Math.max(0.5, peaks[x]! * middle);
    for (let y = 0; y < height; y++) {
      const color = Math.abs(y - middle) <= half ? BAR : BACKGROUND;
      pixels.set(color, (y * width + x) * 3);
    }
  }
  return pixels;
}
