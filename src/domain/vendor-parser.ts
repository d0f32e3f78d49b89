/**
 * What a recorder says about a recording through its file naming and sidecar files. One parser per
 * naming convention; which parsers apply is chosen per device model in config (tagging.parsers).
 */
export const parserNames = ['cn-recorder', 'axis'] as const;
export type ParserName = (typeof parserNames)[number];

export interface DeviceSays {
  parser: ParserName;
  deviceId: string | null;
  badge: string | null;
  /** The capture time the device names, in UTC, with the offset of the clock that wrote it. */
  capturedAt: Date | null;
  capturedLocal: string | null;
  utcOffsetMinutes: number | null;
  /** The checklist row the device's category maps to (an Axis bookmark category, through tagging.axisCategories). */
  checklistRowId: string | null;
}

/** A sidecar file read from the device next to a recording: its JSON, or why it could not be used. */
export interface Sidecar {
  path: string;
  content: unknown;
  error: string | null;
}

/** What a parser is told besides the files: the zone of device clocks, and vendor categories → checklist rows. */
export interface ParseContext {
  deviceZone: string;
  categoryRows: Record<string, string>;
}

export interface VendorParser {
  name: ParserName;
  /** Sidecar files worth reading for this recording, relative to the device root, given the names in its folder. */
  sidecarPaths(relPath: string, siblings: string[]): string[];
  /** `sidecars`: those of `sidecarPaths` that are present, in that order. */
  parse(relPath: string, sidecars: Sidecar[], context: ParseContext): DeviceSays | null;
}
