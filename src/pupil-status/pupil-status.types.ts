import type { SchoolScope } from '../shared/school-scope';

/** Looked after by a local authority now, before (adopted, SGO, CAO), or neither. */
export const LOOKED_AFTER = ['no', 'looked-after', 'previously-looked-after'] as const;
type LookedAfter = (typeof LOOKED_AFTER)[number];

/** The yes/no statuses, in the order the tab shows them, with the words a DSL uses. */
export const STATUS_FLAGS = [
  ['childProtectionPlan', 'Child protection plan'],
  ['childInNeed', 'Child in need'],
  ['ehcp', 'EHCP'],
  ['senSupport', 'SEN support'],
  ['freeSchoolMeals', 'Free school meals'],
  ['pupilPremium', 'Pupil premium'],
  ['youngCarer', 'Young carer'],
  ['eal', 'English as an additional language'],
  ['alternativeProvision', 'Alternative provision placement'],
] as const;
export type StatusFlag = (typeof STATUS_FLAGS)[number][0];

/**
 * What a DSL reasons with about a child besides the records: plans, needs, care and the
 * consistent child identifier. Special-category data: sealed at rest, seen by the team only.
 */
export type PupilStatus = { readonly [F in StatusFlag]: boolean } & {
  readonly lookedAfter: LookedAfter;
  /** The NHS number as ten digits (the consistent child identifier), when the school has it. */
  readonly nhsNumber: string | undefined;
  /** Why there is no NHS number (required when it is empty, so an absence is a decision). */
  readonly nhsNumberMissingReason: string | undefined;
};

/** Before anyone has said anything: no status, no identifier, and no reason for its absence. */
export const UNKNOWN_STATUS: PupilStatus = {
  childProtectionPlan: false,
  childInNeed: false,
  ehcp: false,
  senSupport: false,
  freeSchoolMeals: false,
  pupilPremium: false,
  youngCarer: false,
  eal: false,
  alternativeProvision: false,
  lookedAfter: 'no',
  nhsNumber: undefined,
  nhsNumberMissingReason: undefined,
};

/** One change of a pupil's status: the whole status after it, who, when, why and from where. */
export interface PupilStatusChange extends SchoolScope {
  readonly pupilId: string;
  /** 1, 2, 3 … per pupil; the highest is the pupil's status now. */
  readonly sequence: number;
  readonly status: PupilStatus;
  /** The fields this change set (names only; the values are in `status`). */
  readonly changedFields: readonly (keyof PupilStatus)[];
  readonly reason: string;
  readonly changedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly changedAt: Date;
  /** The team in the tab, or the MIS export through the directory import. */
  readonly source: 'tab' | 'import';
}

/** The fields whose values differ between two statuses. */
export function changedFields(before: PupilStatus, after: PupilStatus): (keyof PupilStatus)[] {
  return (Object.keys(UNKNOWN_STATUS) as (keyof PupilStatus)[]).filter(
    (field) => before[field] !== after[field],
  );
}
