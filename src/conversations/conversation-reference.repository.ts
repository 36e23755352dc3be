import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import type { SavedConversationReference } from './conversation-reference.types';
import { insertOnce } from '../store/insert-once';

const referenceSchema = new Schema<SavedConversationReference>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    reference: { type: Schema.Types.Mixed, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'conversation_references', strict: 'throw', minimize: false },
);
referenceSchema.index({ tenantId: 1, aadObjectId: 1 }, { unique: true });
referenceSchema.index({ tenantId: 1, updatedAt: -1 });

interface WelcomeReceipt {
  tenantId: string;
  schoolId: string;
  aadObjectId: string;
  welcomedAt: Date;
}

const welcomeSchema = new Schema<WelcomeReceipt>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    welcomedAt: { type: Date, required: true },
  },
  { collection: 'welcome_receipts', strict: 'throw' },
);
welcomeSchema.index({ tenantId: 1, aadObjectId: 1 }, { unique: true });

/** Stores conversation references by tenant + Entra object id, and who has been welcomed. */
export class ConversationReferenceRepository {
  private readonly references: Model<SavedConversationReference>;
  private readonly welcomes: Model<WelcomeReceipt>;

  constructor(connection: Connection) {
    this.references =
      connection.models.ConversationReference ??
      connection.model<SavedConversationReference>('ConversationReference', referenceSchema);
    this.welcomes =
      connection.models.WelcomeReceipt ??
      connection.model<WelcomeReceipt>('WelcomeReceipt', welcomeSchema);
  }

  /**
   * Saves the latest reference. A replace-upsert: if two messages race, either reference is
   * current enough, and a duplicate-key loser of a racing first insert just retries as an update.
   */
  async save(ref: SavedConversationReference): Promise<void> {
    const filter = { tenantId: ref.tenantId, aadObjectId: ref.aadObjectId };
    try {
      await this.references.replaceOne(filter, ref, { upsert: true });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      await this.references.replaceOne(filter, ref);
    }
  }

  /**
   * Who a personal (1:1) chat belongs to, as saved when they used it: Teams gives each person their
   * own chat with the bot, so a message on it from anyone else is not what Teams would send.
   */
  async ownersOfPersonalChat(tenantId: string, conversationId: string): Promise<string[]> {
    const docs = await this.references
      .find(
        {
          tenantId,
          'reference.conversation.id': conversationId,
          'reference.conversation.conversationType': 'personal',
        },
        { aadObjectId: 1 },
      )
      .limit(5)
      .lean();
    return docs.map((d) => d.aadObjectId);
  }

  /** The saved reference for a user, if they have installed the app or messaged the bot. */
  async find(
    tenantId: string,
    aadObjectId: string,
  ): Promise<SavedConversationReference | undefined> {
    const doc = await this.references.findOne({ tenantId, aadObjectId }).lean();
    if (!doc) return undefined;
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      aadObjectId: doc.aadObjectId,
      reference: doc.reference,
      updatedAt: doc.updatedAt,
    };
  }

  /**
   * The newest reference of anyone in the tenant: its serviceUrl and bot account let us open a 1:1
   * chat with someone who has none yet.
   */
  async newestInTenant(tenantId: string): Promise<SavedConversationReference | undefined> {
    const [doc] = await this.references.find({ tenantId }).sort({ updatedAt: -1 }).limit(1).lean();
    if (!doc) return undefined;
    return {
      tenantId: doc.tenantId,
      schoolId: doc.schoolId,
      aadObjectId: doc.aadObjectId,
      reference: doc.reference,
      updatedAt: doc.updatedAt,
    };
  }

  /**
   * True exactly once per user: Teams sends both installationUpdate and conversationUpdate on
   * install, possibly to two app instances, and only one welcome card should go out. The unique
   * index decides, not a read-then-write.
   */
  async claimWelcome(
    tenantId: string,
    schoolId: string,
    aadObjectId: string,
    now: Date,
  ): Promise<boolean> {
    return insertOnce(this.welcomes, { tenantId, schoolId, aadObjectId, welcomedAt: now });
  }
}
