import { Schema, type Connection, type Model } from 'mongoose';
import type { SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';

/** Bump when what the summaries hold changes: the next start builds them again. */
const VERSION = 'v1';
const WHOLE_DATABASE = `${VERSION}|all`;

interface BuildDocument {
  _id: string;
  builtAt: Date;
}

const buildSchema = new Schema<BuildDocument>(
  { _id: { type: String, required: true }, builtAt: { type: Date, required: true } },
  { collection: 'summary_builds', strict: 'throw', versionKey: false },
);

/** What one school's build does (both summaries), and what it counts for the log. */
export interface SchoolBuild {
  (scope: SchoolScope): Promise<void>;
}

/**
 * The summaries are built once per database from what is stored (a database from before them,
 * or filled in bulk), then kept by events. Resumable: each school is marked when done, so a
 * build cut short goes on with the schools left; the whole database is marked last.
 */
export class SummaryBuilds {
  private readonly model: Model<BuildDocument>;

  constructor(connection: Connection) {
    this.model =
      connection.models.SummaryBuild ??
      connection.model<BuildDocument>('SummaryBuild', buildSchema);
  }

  async isBuilt(): Promise<boolean> {
    return (await this.model.exists({ _id: WHOLE_DATABASE })) !== null;
  }

  /** Builds every school not marked yet; returns how many were built now. */
  async buildMissing(
    schools: () => Promise<readonly SchoolScope[]>,
    buildSchool: SchoolBuild,
    now: () => Date,
  ): Promise<number> {
    if (await this.isBuilt()) return 0;
    let built = 0;
    for (const school of await schools()) {
      const key = `${VERSION}|${school.tenantId}|${school.schoolId}`;
      if (await this.model.exists({ _id: key })) continue;
      await buildSchool(school);
      await insertOnce(this.model, { _id: key, builtAt: now() });
      built += 1;
    }
    await insertOnce(this.model, { _id: WHOLE_DATABASE, builtAt: now() });
    return built;
  }

  /** Forgets every build (a bulk load behind the app's back): the next start builds again. */
  async forget(): Promise<void> {
    await this.model.deleteMany({});
  }
}
