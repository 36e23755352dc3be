/** Every query and document is scoped to one school of one tenant: nothing crosses that line. */
export interface SchoolScope {
  readonly tenantId: string;
  readonly schoolId: string;
}

/** The scope part of a query filter: only the two ids, whatever else the scope object carries. */
export function scoped(scope: SchoolScope): SchoolScope {
  return { tenantId: scope.tenantId, schoolId: scope.schoolId };
}
