import type { SchoolScope } from '../shared/school-scope';

/**
 * A rule the school sets for when a run of concerns about one child needs the team's eyes:
 * `count` concerns in `days` days; `count` in one category in `days` days; or any concern while
 * the child has a status (a child protection plan). `days` is also the rule's window: one flag
 * per pupil per rule per window, however many concerns follow in it.
 */
export type PatternRule =
  | {
      readonly ruleId: string;
      readonly kind: 'concerns-in-days';
      readonly count: number;
      readonly days: number;
    }
  | {
      readonly ruleId: string;
      readonly kind: 'category-in-days';
      readonly count: number;
      readonly days: number;
    }
  | {
      readonly ruleId: string;
      readonly kind: 'concern-with-status';
      readonly status: 'childProtectionPlan' | 'childInNeed' | 'lookedAfter';
      readonly days: number;
    };

/** A record as the rules see it: its subject, when it happened, its categories. No narrative. */
export interface PatternRecord {
  readonly incidentId: string;
  readonly reference: string;
  readonly pupilId: string;
  readonly happenedAt: Date;
  readonly recordedAt: Date;
  readonly categoryIds: readonly string[];
}

/** What a rule found: the records that made it and the window it belongs to. */
export interface PatternFiring {
  readonly ruleId: string;
  /** The rule in words ("3 concerns in 30 days"), as the card and the desk show it. */
  readonly ruleText: string;
  /** The window's number (school days since 1970, divided by the rule's days): part of the key. */
  readonly window: number;
  readonly incidentIds: readonly string[];
  readonly references: readonly string[];
  readonly categoryId?: string;
}

/** A fired rule, stored once per pupil, rule and window; on the desk until the team reviews it. */
export interface PatternFlag extends SchoolScope, PatternFiring {
  /** A hash of school, pupil, rule and window: the unique key a replay runs into. */
  readonly flagId: string;
  readonly pupilId: string;
  /** The record whose recording fired the rule (the card's reference). */
  readonly triggerIncidentId: string;
  readonly raisedAt: Date;
  readonly reviewedAt?: Date;
  readonly reviewedBy?: { readonly aadObjectId: string; readonly displayName: string };
}
