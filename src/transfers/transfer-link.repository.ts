import { Schema, type Connection, type Model } from 'mongoose';
import type { SchoolScope } from '../shared/school-scope';

/** A download link as stored: found by the SHA-256 of its token (the token itself is never kept). */
export interface TransferLink extends SchoolScope {
  readonly tokenHash: string;
  readonly transferId: string;
  /**
   * Where the encrypted archive (the envelope, the only form in which the package is stored) is
   * in the file store: chunked, so a package of tens of MB fits. Links made before kept the
   * envelope in the link itself (`envelope`), which capped a package at ~15 MB.
   */
  readonly envelopeFileId?: string;
  readonly envelope?: Buffer;
  readonly sha256: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly attempts: number;
  readonly lockedAt?: Date;
  /** When the right code and the receipt were given: the link is spent. */
  readonly usedAt?: Date;
  readonly ticketHash?: string;
  readonly ticketExpiresAt?: Date;
  readonly downloadedAt?: Date;
}

interface LinkDoc extends Omit<TransferLink, 'tokenHash'> {
  _id: string;
}

const linkSchema = new Schema<LinkDoc>(
  {
    _id: { type: String, required: true },
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    transferId: { type: String, required: true },
    envelopeFileId: { type: String },
    envelope: { type: Buffer },
    sha256: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    attempts: { type: Number, required: true },
    lockedAt: { type: Date },
    usedAt: { type: Date },
    ticketHash: { type: String },
    ticketExpiresAt: { type: Date },
    downloadedAt: { type: Date },
  },
  { collection: 'transfer_links', strict: 'throw', versionKey: false },
);
linkSchema.index({ tenantId: 1, schoolId: 1, transferId: 1 });

/**
 * The single-use download links. Every change is one conditional update, so two requests at
 * once cannot both count as the fifth attempt, both spend the link, or both download.
 */
export class TransferLinkRepository {
  private readonly links: Model<LinkDoc>;

  constructor(connection: Connection) {
    this.links =
      connection.models.TransferLink ?? connection.model<LinkDoc>('TransferLink', linkSchema);
  }

  async insert(link: TransferLink): Promise<void> {
    const { tokenHash, ...rest } = link;
    await this.links.create({ _id: tokenHash, ...rest });
  }

  async find(tokenHash: string): Promise<TransferLink | undefined> {
    const doc = await this.links.findById(tokenHash).lean();
    return doc ? toLink(doc) : undefined;
  }

  /** Counts one code attempt on a live link; undefined when the link is spent, locked or expired. */
  async countAttempt(
    tokenHash: string,
    now: Date,
    most: number,
  ): Promise<TransferLink | undefined> {
    const doc = await this.links
      .findOneAndUpdate(
        {
          _id: tokenHash,
          usedAt: { $exists: false },
          lockedAt: { $exists: false },
          expiresAt: { $gt: now },
          attempts: { $lt: most },
        },
        { $inc: { attempts: 1 } },
        { new: true },
      )
      .lean();
    return doc ? toLink(doc) : undefined;
  }

  /** Locks every live link of a transfer (a new sending replaces the ones before it). */
  async lockAllFor(scope: SchoolScope, transferId: string, now: Date): Promise<void> {
    await this.links.updateMany(
      {
        tenantId: scope.tenantId,
        schoolId: scope.schoolId,
        transferId,
        usedAt: { $exists: false },
        lockedAt: { $exists: false },
      },
      { $set: { lockedAt: now } },
    );
  }

  async lock(tokenHash: string, now: Date): Promise<void> {
    await this.links.updateOne(
      { _id: tokenHash, lockedAt: { $exists: false } },
      { $set: { lockedAt: now } },
    );
  }

  /** Spends the link and issues the download ticket: false when it was spent meanwhile. */
  async spend(
    tokenHash: string,
    now: Date,
    ticketHash: string,
    ticketExpiresAt: Date,
  ): Promise<boolean> {
    const result = await this.links.updateOne(
      { _id: tokenHash, usedAt: { $exists: false }, lockedAt: { $exists: false } },
      { $set: { usedAt: now, ticketHash, ticketExpiresAt } },
    );
    return result.modifiedCount === 1;
  }

  /** Takes the one download the ticket allows: the envelope, or undefined. */
  async takeDownload(
    tokenHash: string,
    ticketHash: string,
    now: Date,
  ): Promise<TransferLink | undefined> {
    const doc = await this.links
      .findOneAndUpdate(
        {
          _id: tokenHash,
          ticketHash,
          ticketExpiresAt: { $gt: now },
          downloadedAt: { $exists: false },
        },
        { $set: { downloadedAt: now } },
        { new: true },
      )
      .lean();
    return doc ? toLink(doc) : undefined;
  }
}

function toLink(doc: LinkDoc): TransferLink {
  const { _id, envelope, ...rest } = doc;
  if (envelope === undefined || envelope === null) return { tokenHash: _id, ...rest };
  // lean() gives BSON Binary for a Buffer path; normalise to a Buffer.
  const bytes = Buffer.isBuffer(envelope)
    ? envelope
    : Buffer.from((envelope as unknown as { buffer: Uint8Array }).buffer);
  return { tokenHash: _id, envelope: bytes, ...rest };
}
