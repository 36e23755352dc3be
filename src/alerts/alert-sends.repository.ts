import { Schema, type Connection, type Model, type mongo } from 'mongoose';
import { isDuplicateKeyError } from '../shared/errors';
import { insertFailuresOf } from '../store/insert-failures';

/**
 * A send of an alert, journalled before it goes (its intent), under an id this app made up
 * (`sendId`) which the card carries in its buttons and refresh clause. Teams gives a bot no
 * idempotency key and no way to read a chat back, so this is what ties a copy in a chat to its
 * alert: the intent says a copy may exist, and the copy says which intent it is when Teams asks
 * the bot to refresh it (it is shown) or its button is pressed.
 */
export interface SendIntent {
  readonly sendId: string;
  readonly alertId: string;
  /** The alert's attempt this send is (its `attempts` + 1 when it was claimed). */
  readonly attempt: number;
  readonly intendedAt: Date;
}

/** A copy of an alert card in a chat, as far as it is known. */
export interface AlertCopy {
  readonly sendId?: string;
  readonly activityId: string;
  readonly conversationId: string;
}

/** An intent whose outcome the outbox never wrote: a copy may be in the chat, or not. */
export interface UnconfirmedSend extends SendIntent {
  /** Set once the copy was seen in its chat (Teams refreshed it, or a button was pressed). */
  readonly copy?: AlertCopy & { readonly seenAt: Date };
}

interface SendDoc {
  _id: string;
  alertId: string;
  attempt: number;
  intendedAt: Date;
  activityId?: string;
  conversationId?: string;
  seenAt?: Date;
}

const sendSchema = new Schema<SendDoc>(
  {
    _id: { type: String, required: true },
    alertId: { type: String, required: true },
    attempt: { type: Number, required: true },
    intendedAt: { type: Date, required: true },
    activityId: { type: String },
    conversationId: { type: String },
    seenAt: { type: Date },
  },
  { collection: 'alert_sends', strict: 'throw', versionKey: false },
);
sendSchema.index({ alertId: 1 });

/** The send intents of the outbox (written by the delivery worker, linked from the chat). */
export class AlertSendRepository {
  private readonly model: Model<SendDoc>;

  constructor(connection: Connection) {
    this.model = connection.models.AlertSend ?? connection.model<SendDoc>('AlertSend', sendSchema);
  }

  /** Journals intents in one unordered insert; a repeat of one already there changes nothing. */
  async recordIntents(intents: readonly SendIntent[]): Promise<void> {
    if (intents.length === 0) return;
    const docs: SendDoc[] = intents.map((i) => ({
      _id: i.sendId,
      alertId: i.alertId,
      attempt: i.attempt,
      intendedAt: i.intendedAt,
    }));
    try {
      const sends = this.model.collection as unknown as mongo.Collection<SendDoc>;
      await sends.insertMany(docs, { ordered: false });
    } catch (error) {
      const failures = insertFailuresOf(error);
      if (!failures || failures.some((f) => !isDuplicateKeyError(f))) throw error;
    }
  }

  /**
   * The alert's sends after its `attempts` so far: their outcome (sent, failed) was never
   * written, because only a crash (or a stall past the lease) stops the holder writing it.
   */
  async unconfirmed(alertId: string, attempts: number): Promise<UnconfirmedSend[]> {
    const docs = await this.model.find({ alertId }).limit(100).lean();
    return docs.filter((d) => d.attempt > attempts).map(toUnconfirmed);
  }

  /**
   * Writes down where a copy of the alert is, seen in its chat. Only for an intent of this
   * alert (a forged sendId finds nothing); true when it matched.
   */
  async link(alertId: string, copy: Required<AlertCopy>, seenAt: Date): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: copy.sendId, alertId },
      {
        $set: { activityId: copy.activityId, conversationId: copy.conversationId, seenAt },
      },
    );
    return result.matchedCount > 0;
  }

  /** The copies seen in their chats, of each of these alerts (by seek on alertId). */
  async seenCopies(alertIds: readonly string[]): Promise<Map<string, AlertCopy[]>> {
    const copies = new Map<string, AlertCopy[]>();
    if (alertIds.length === 0) return copies;
    const docs = await this.model
      .find({ alertId: { $in: [...new Set(alertIds)] } })
      .limit(alertIds.length * 20)
      .lean();
    for (const d of docs) {
      if (!d.activityId || !d.conversationId) continue;
      const list = copies.get(d.alertId) ?? [];
      list.push({ sendId: d._id, activityId: d.activityId, conversationId: d.conversationId });
      copies.set(d.alertId, list);
    }
    return copies;
  }

  /** Every intent of an alert, oldest first (for tests and the duplicate figures). */
  async intentsOf(alertId: string): Promise<UnconfirmedSend[]> {
    const docs = await this.model.find({ alertId }).limit(100).lean();
    return docs.map(toUnconfirmed).sort((a, b) => a.attempt - b.attempt);
  }
}

function toUnconfirmed(d: SendDoc): UnconfirmedSend {
  return {
    sendId: d._id,
    alertId: d.alertId,
    attempt: d.attempt,
    intendedAt: d.intendedAt,
    ...(d.activityId && d.conversationId && d.seenAt
      ? {
          copy: {
            sendId: d._id,
            activityId: d.activityId,
            conversationId: d.conversationId,
            seenAt: d.seenAt,
          },
        }
      : {}),
  };
}
