/** A school: every stored document is scoped by its tenant and school (a trust runs several). */
export interface School {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly name: string;
  /** Prefix of human record references, e.g. EPC in EPC-2026-00042. */
  readonly referencePrefix: string;
}
