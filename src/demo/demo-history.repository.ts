import { Schema, type Connection, type Model } from 'mongoose';
import type { SchoolScope } from '../shared/school-scope';

/**
 * The marker of a school's seeded history: which day it was planned for, and whether it is
 * finished. One document per school (`_id` tenant/school), so a database gets its history once;
 * a run cut short finds the marker unfinished and carries on with the same day's plan.
 */
export interface DemoHistoryMarker {
  readonly seedDay: string;
  readonly startedAt: Date;
  readonly finishedAt?: Date;
  /** What the run wrote (counts only). */
  readonly summary?: Readonly<Record<string, number>>;
}

type MarkerDoc = DemoHistoryMarker & { _id: string };

const markerSchema = new Schema<MarkerDoc>(
  {
    _id: { type: String, required: true },
    seedDay: { type: String, required: true },
    startedAt: { type: Date, required: true },
    finishedAt: { type: Date },
    summary: { type: Schema.Types.Mixed },
  },
  { collection: 'demo_history', strict: 'throw', versionKey: false },
);

/** Reads and writes the history markers. */
export class DemoHistoryRepository {
  private readonly model: Model<MarkerDoc>;

  constructor(connection: Connection) {
    this.model =
      (connection.models.DemoHistoryMarker as Model<MarkerDoc> | undefined) ??
      connection.model<MarkerDoc>('DemoHistoryMarker', markerSchema);
  }

  /** The school's marker, writing one for `seedDay` if there is none yet (the existing one wins). */
  async start(scope: SchoolScope, seedDay: string, now: Date): Promise<DemoHistoryMarker> {
    const _id = idOf(scope);
    await this.model.updateOne(
      { _id },
      { $setOnInsert: { _id, seedDay, startedAt: now } },
      { upsert: true },
    );
    const doc = await this.model.findOne({ _id }).lean();
    return toMarker(doc ?? { _id, seedDay, startedAt: now });
  }

  async find(scope: SchoolScope): Promise<DemoHistoryMarker | undefined> {
    const doc = await this.model.findOne({ _id: idOf(scope) }).lean();
    return doc ? toMarker(doc) : undefined;
  }

  async finish(
    scope: SchoolScope,
    now: Date,
    summary: Readonly<Record<string, number>>,
  ): Promise<void> {
    await this.model.updateOne({ _id: idOf(scope) }, { $set: { finishedAt: now, summary } });
  }
}

function idOf(scope: SchoolScope): string {
  return `${scope.tenantId}/${scope.schoolId}`;
}

function toMarker(doc: MarkerDoc): DemoHistoryMarker {
  return {
    seedDay: doc.seedDay,
    startedAt: doc.startedAt,
    ...(doc.finishedAt ? { finishedAt: doc.finishedAt } : {}),
    ...(doc.summary ? { summary: doc.summary } : {}),
  };
}
