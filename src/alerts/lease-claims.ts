/** A claim on a key (an alert, a record's escalation, a period's reconciliation). */
export interface Lease {
  key: string;
  leaseNo: number;
  owner: string;
}

/** Claims work once across instances (implemented by src/store/lease.repository.ts). */
export interface LeaseClaims {
  claim(key: string, owner: string, ttlMs: number, now: Date): Promise<Lease | undefined>;
  claimMany(
    keys: readonly string[],
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<(Lease & { expiresAt: Date })[]>;
  release(lease: Lease): Promise<void>;
  /** Moves a held lease's end to `now + ttlMs`; false when it is no longer ours (released, lapsed and taken). */
  renew(lease: Lease, ttlMs: number, now: Date): Promise<boolean>;
  prune(before: Date): Promise<number>;
}
