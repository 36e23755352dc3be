/** Every query and document is scoped to one school of one tenant: nothing crosses that line. */
export interface SchoolScope {
  readonly tenantId: string;
  readonly schoolId: string;
}
