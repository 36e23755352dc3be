import type { AuditTrail } from '../audit';
import type { SchoolScope } from '../shared/school-scope';
import { RecordAccess, type AccessibleRecord } from './record-access.service';
import { RecordRelationsService, type RecordRelationSources } from './record-relations.service';

/**
 * What access is built from: ports onto the stores that hold a record's facts. access/ sits below
 * the features that write those facts (incidents, alerts, actions), so it takes their queries,
 * not their modules: the composition root builds those stores first.
 */
interface AccessModuleDeps<R extends AccessibleRecord> {
  readonly records: { findById(scope: SchoolScope, incidentId: string): Promise<R | undefined> };
  /** Who an alert reached, who an action invited. */
  readonly relations: RecordRelationSources;
  readonly categories: {
    listCategories(
      scope: SchoolScope,
    ): Promise<readonly { readonly categoryId: string; readonly teamOnly?: boolean }[]>;
  };
  /** incidents/: each amended record's categories as amended (nothing sealed is read). */
  readonly amendments: {
    amendedListing(
      scope: SchoolScope,
      incidentIds: readonly string[],
    ): Promise<ReadonlyMap<string, { readonly categoryIds?: readonly string[] }>>;
  };
  readonly audit: AuditTrail;
}

/** The one access policy over records, and the one reading of who a record reaches. */
export function createAccessModule<R extends AccessibleRecord>(deps: AccessModuleDeps<R>) {
  const relations = new RecordRelationsService(deps.relations);
  const recordAccess = new RecordAccess<R>(
    {
      findRecord: (scope, incidentId) => deps.records.findById(scope, incidentId),
      relationsOf: (scope, incidentIds) => relations.relationsOf(scope, incidentIds),
      async teamOnlyCategoryIds(scope) {
        const categories = await deps.categories.listCategories(scope);
        return new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId));
      },
      async currentCategoryIds(scope, record) {
        const amended = await deps.amendments.amendedListing(scope, [record.incidentId]);
        return amended.get(record.incidentId)?.categoryIds ?? record.categoryIds;
      },
    },
    deps.audit,
  );
  return { relations, recordAccess };
}
