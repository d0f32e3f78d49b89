/** Free and total bytes of the file system holding a path. */
export interface DiskSpace {
  usage(path: string): Promise<{ freeBytes: number; totalBytes: number }>;
}
