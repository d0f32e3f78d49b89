export type DependencyName = 'redis' | 'postgres' | 'minio' | 'migrations';

export interface DependencyState {
  name: DependencyName;
  ok: boolean;
  /** What was found: `PONG`, `bucket evidence exists`, `12 of 12 applied`, or the error. */
  detail: string;
  ms: number;
}

/** Whether each service evidock needs answers now (for /readyz). */
export interface Readiness {
  check(): Promise<DependencyState[]>;
}
