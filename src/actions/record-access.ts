import type { AccessActor, RecordOperation } from '../access';
import type { Incident } from '../incidents';
import type { Category } from '../schools';
import type { SchoolScope } from '../shared/school-scope';

/** The records actions hang on, and the one access policy over them. */
export interface ActionRecords {
  /**
   * The record, if the actor may do `operation` to it: the app's RecordAccess (the one policy;
   * every refusal audited; a record the actor may not know about is "not found").
   */
  authorize(
    actor: AccessActor,
    incidentId: string,
    operation: RecordOperation,
    requestId?: string,
  ): Promise<Incident>;
  /** A record by id with no actor: for the clock jobs, which act for the school. */
  findIncident(scope: SchoolScope, incidentId: string): Promise<Incident | undefined>;
  listCategories(scope: SchoolScope): Promise<Category[]>;
}

/** The record's category names for cards, in the record's order. */
export function categoryNamesOf(incident: Incident, categories: readonly Category[]): string[] {
  const names = new Map(categories.map((c) => [c.categoryId, c.name]));
  return incident.categoryIds.map((id) => names.get(id) ?? id);
}
