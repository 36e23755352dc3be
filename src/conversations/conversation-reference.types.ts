/**
 * Where to reach a user proactively (alerts, receipts). `reference` is the Teams conversation
 * reference as plain JSON; this feature never needs to understand it.
 */
export interface SavedConversationReference {
  readonly tenantId: string;
  readonly schoolId: string;
  /** Entra object id of the user. */
  readonly aadObjectId: string;
  readonly reference: Record<string, unknown>;
  readonly updatedAt: Date;
}
