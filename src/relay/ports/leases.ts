/**
 * One held lease: the work under it runs in one replica at a time. The holder checks it before each step that must not
 * run twice at once.
 */
export interface Lease {
  readonly ttlMs: number;
  /**
   * Fencing: resolves true while this holder still has the lease (renewing it), false once it is lost; the holder must
   * then stop.
   */
  check(): Promise<boolean>;
  /** True when the lease is still this holder's for at least `marginMs` more, without asking anyone. */
  firm(marginMs: number): boolean;
}

/** Short leases that live only as long as their holder, so that a replica that dies or stalls hands its work over. */
export interface Leases {
  /** Runs `work` under the lease `name`; undefined (and `work` not run) while another holder has it. */
  with<T>(name: string, work: (lease: Lease) => Promise<T>): Promise<T | undefined>;
}

/** Short critical sections over named records, across every replica that shares the store. */
export interface Lock {
  run<T>(name: string, work: () => Promise<T>): Promise<T>;
}
