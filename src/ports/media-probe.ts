/** Reads the capture time a media container carries (creation_time), if any. */
export interface MediaProbe {
  captureTime(path: string, signal?: AbortSignal): Promise<Date | null>;
}
