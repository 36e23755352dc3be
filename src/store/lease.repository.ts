import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';

interface LeaseDoc {
  key: string;
  leaseNo: number;
  owner: string;
  claimedAt: Date;
  expiresAt: Date;
  released: boolean;
}

const leaseSchema = new Schema<LeaseDoc>(
  {
    key: { type: String, required: true },
    leaseNo: { type: Number, required: true },
    owner: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    released: { type: Boolean, required: true },
  },
  { collection: 'leases', strict: 'throw', versionKey: false },
);
// Who holds a key is decided by this index: two claimers insert the same leaseNo, one wins.
leaseSchema.index({ key: 1, leaseNo: 1 }, { unique: true });
leaseSchema.index({ expiresAt: 1 });

/** A claim on a key until `expiresAt` (or release). */
export interface Lease {
  readonly key: string;
  readonly leaseNo: number;
  readonly owner: string;
}

/**
 * Leases for work that must happen once across app instances (sending an alert, escalating a
 * record). FerretDB has no atomic read-modify-write, so a claim is an insert against a unique
 * index: (key, next lease number). A crashed holder's lease simply expires.
 */
export class LeaseRepository {
  private readonly model: Model<LeaseDoc>;

  constructor(connection: Connection) {
    this.model = connection.models.Lease ?? connection.model<LeaseDoc>('Lease', leaseSchema);
  }

  /** Claims `key` for `ttlMs` unless someone holds it; undefined when not ours. */
  async claim(key: string, owner: string, ttlMs: number, now: Date): Promise<Lease | undefined> {
    const [latest] = await this.model.find({ key }).sort({ leaseNo: -1 }).limit(1).lean();
    if (latest && !latest.released && latest.expiresAt.getTime() > now.getTime()) return undefined;
    const leaseNo = (latest?.leaseNo ?? 0) + 1;
    try {
      await this.model.create({
        key,
        leaseNo,
        owner,
        claimedAt: now,
        expiresAt: new Date(now.getTime() + ttlMs),
        released: false,
      });
      return { key, leaseNo, owner };
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  /** Lets the next claimer in straight away. */
  async release(lease: Lease): Promise<void> {
    await this.model.updateOne(
      { key: lease.key, leaseNo: lease.leaseNo, owner: lease.owner },
      { $set: { released: true } },
    );
  }

  /** Removes leases that ended before `before` (an application job: no TTL indexes here). */
  async prune(before: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lt: before } });
    return result.deletedCount;
  }
}
