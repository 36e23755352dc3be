import { Schema, type Connection, type Model } from 'mongoose';
import { scoped, type SchoolScope } from '../shared/school-scope';
import { insertOnce } from '../store/insert-once';

/**
 * A declared conflict of interest: this member of staff must not see or manage concerns about
 * that adult (family, a close friend, a line manager under investigation with them). Keyed by the
 * adult's subject key, so it covers adults outside the staff directory too.
 */
export interface ConflictDeclaration extends SchoolScope {
  readonly aadObjectId: string;
  readonly subjectKey: string;
  readonly declaredAt: Date;
  readonly declaredBy: string;
}

const schema = new Schema<ConflictDeclaration>(
  {
    tenantId: { type: String, required: true },
    schoolId: { type: String, required: true },
    aadObjectId: { type: String, required: true },
    subjectKey: { type: String, required: true },
    declaredAt: { type: Date, required: true },
    declaredBy: { type: String, required: true },
  },
  { collection: 'adult_concern_conflicts', strict: 'throw', versionKey: false },
);
schema.index({ tenantId: 1, schoolId: 1, subjectKey: 1, aadObjectId: 1 }, { unique: true });

/** The declared conflicts of interest of the allegations process (its own collection). */
export class AdultConcernConflictRepository {
  private readonly model: Model<ConflictDeclaration>;

  constructor(connection: Connection) {
    this.model =
      (connection.models.AdultConcernConflict as Model<ConflictDeclaration> | undefined) ??
      connection.model<ConflictDeclaration>('AdultConcernConflict', schema);
  }

  /** Records a declaration once (declaring again changes nothing). */
  async declare(declaration: ConflictDeclaration): Promise<void> {
    await insertOnce(this.model, { ...declaration });
  }

  /** Who declared a conflict with the adult of this key. */
  async conflictedWith(scope: SchoolScope, subjectKey: string): Promise<string[]> {
    const docs = await this.model.find({ ...scoped(scope), subjectKey }).lean();
    return docs.map((d) => d.aadObjectId);
  }

  /** The adults (by key) this person declared a conflict with. */
  async keysOf(scope: SchoolScope, aadObjectId: string): Promise<Set<string>> {
    const docs = await this.model.find({ ...scoped(scope), aadObjectId }).lean();
    return new Set(docs.map((d) => d.subjectKey));
  }
}
