import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { insertFailuresOf } from './insert-failures';

interface LeaseDoc {
  /** `<key>#<leaseNo>`: releasing a lease is then a filter on `_id` alone (see alert.repository). */
  _id: string;
  key: string;
  leaseNo: number;
  owner: string;
  claimedAt: Date;
  expiresAt: Date;
  released: boolean;
}

const leaseSchema = new Schema<LeaseDoc>(
  {
    _id: { type: String, required: true },
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

/** A lease as its claimer holds it: when it runs out decides whether work may still start. */
export interface HeldLease extends Lease {
  readonly expiresAt: Date;
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
    const doc = newLease(key, (latest?.leaseNo ?? 0) + 1, owner, ttlMs, now);
    try {
      await this.model.create(doc);
      return { key, leaseNo: doc.leaseNo, owner };
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  }

  /**
   * Claims every free key of a batch for `ttlMs`: one read of the keys' leases and one insert of
   * the new ones, however many keys (a read per key would cost a store round trip per alert). Returns the leases won; a key held by someone,
   * or lost to a concurrent claimer (duplicate key), is simply not in the answer.
   */
  async claimMany(
    keys: readonly string[],
    owner: string,
    ttlMs: number,
    now: Date,
  ): Promise<HeldLease[]> {
    if (keys.length === 0) return [];
    const latest = new Map<string, Pick<LeaseDoc, 'leaseNo' | 'expiresAt' | 'released'>>();
    const docs = await this.model
      .find({ key: { $in: [...new Set(keys)] } }, { key: 1, leaseNo: 1, expiresAt: 1, released: 1 })
      .lean();
    for (const doc of docs) {
      const seen = latest.get(doc.key);
      if (!seen || doc.leaseNo > seen.leaseNo) latest.set(doc.key, doc);
    }
    const fresh: LeaseDoc[] = [];
    for (const key of new Set(keys)) {
      const last = latest.get(key);
      if (last && !last.released && last.expiresAt.getTime() > now.getTime()) continue;
      fresh.push(newLease(key, (last?.leaseNo ?? 0) + 1, owner, ttlMs, now));
    }
    if (fresh.length === 0) return [];
    const lost = new Set<number>();
    try {
      // The driver's own insert: one round trip, and it reports each duplicate by its index.
      const leases = this.model.collection as unknown as mongo.Collection<LeaseDoc>;
      await leases.insertMany(fresh, { ordered: false });
    } catch (error) {
      const failures = insertFailuresOf(error);
      // Anything but "someone else inserted that lease number first" is a real failure.
      if (!failures || failures.some((f) => f.code !== 11000)) throw error;
      for (const failure of failures) lost.add(failure.index);
    }
    return fresh
      .filter((_, i) => !lost.has(i))
      .map((d) => ({ key: d.key, leaseNo: d.leaseNo, owner: d.owner, expiresAt: d.expiresAt }));
  }

  /** Lets the next claimer in straight away. */
  async release(lease: Lease): Promise<void> {
    await this.model.updateOne(
      { _id: leaseIdOf(lease.key, lease.leaseNo) },
      { $set: { released: true } },
    );
  }

  /**
   * Keeps a lease while its work is still under way (a send in flight): only while it is the
   * key's latest lease, unreleased and unexpired, so a lapsed lease is never revived under
   * someone who claimed the key after it (their lease has the next number; a claimer checks the
   * latest number only). False when it is no longer ours.
   */
  async renew(lease: Lease, ttlMs: number, now: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      {
        _id: leaseIdOf(lease.key, lease.leaseNo),
        owner: lease.owner,
        released: false,
        expiresAt: { $gt: now },
      },
      { $set: { expiresAt: new Date(now.getTime() + ttlMs) } },
    );
    return result.matchedCount > 0;
  }

  /** Removes leases that ended before `before` (an application job: no TTL indexes here). */
  async prune(before: Date): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lt: before } });
    return result.deletedCount;
  }
}

function leaseIdOf(key: string, leaseNo: number): string {
  return `${key}#${leaseNo}`;
}

function newLease(key: string, leaseNo: number, owner: string, ttlMs: number, now: Date): LeaseDoc {
  return {
    _id: leaseIdOf(key, leaseNo),
    key,
    leaseNo,
    owner,
    claimedAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
    released: false,
  };
}
