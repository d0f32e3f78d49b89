import type { ExifFacts } from '../domain/media-info.ts';

export interface ImageFacts {
  format: string;
  /** As displayed: EXIF orientation applied. */
  width: number;
  height: number;
  orientation: number;
  exif: ExifFacts;
}

export interface MadeImage {
  width: number;
  height: number;
  size: number;
}

export interface ResizeSpec {
  /** The image is made to fit inside this box, never enlarged, EXIF orientation applied. */
  maxWidth: number;
  maxHeight: number;
  format: 'jpeg' | 'webp';
  quality: number;
}

/** Image decoding, resizing and encoding (sharp); each call reads and writes files. A file it cannot decode fails with a PermanentError. */
export interface Images {
  facts(path: string): Promise<ImageFacts>;
  resize(input: string, spec: ResizeSpec, output: string): Promise<MadeImage>;
  /** Frames side by side, each resized to `frameWidth` wide, as one WebP. */
  strip(frames: string[], frameWidth: number, output: string): Promise<MadeImage>;
  /** Encodes raw RGB pixels as a lossless WebP. */
  encodeRgb(pixels: Uint8Array, width: number, height: number, output: string): Promise<MadeImage>;
}
