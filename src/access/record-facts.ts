import type { RecordAccessFacts } from './access.types';

/** The parts of a stored record that access depends on. */
interface RecordLike {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly pupilId: string;
  readonly linkedPupils: readonly { readonly pupilId: string }[];
  readonly categoryIds: readonly string[];
  readonly alertStaffIds: readonly string[];
  readonly recordedBy: { readonly aadObjectId: string };
}

/**
 * Gathers a record's access facts from the record and what is known about it: everyone its alerts
 * went to (the outbox), everyone invited later (actions, tasks), and which categories the school
 * keeps to the team. The recorder's chosen recipients count as alerted even before delivery.
 */
export function recordAccessFacts(
  record: RecordLike,
  known: {
    readonly alertedAadObjectIds: readonly string[];
    readonly invitedAadObjectIds: readonly string[];
    readonly teamOnlyCategoryIds: ReadonlySet<string>;
  },
): RecordAccessFacts {
  return {
    tenantId: record.tenantId,
    schoolId: record.schoolId,
    recordedByAadObjectId: record.recordedBy.aadObjectId,
    pupilIds: [record.pupilId, ...record.linkedPupils.map((p) => p.pupilId)],
    alertedAadObjectIds: [...new Set([...record.alertStaffIds, ...known.alertedAadObjectIds])],
    invitedAadObjectIds: known.invitedAadObjectIds,
    teamOnly: record.categoryIds.some((id) => known.teamOnlyCategoryIds.has(id)),
  };
}
