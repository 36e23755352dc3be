import type { SchoolScope } from '../shared/school-scope';

/**
 * The lawful bases a school shares under for safeguarding (UK GDPR Art. 6 and, for special
 * category data, DPA 2018 Sch. 1 para. 18), as the log records them.
 */
export const LAWFUL_BASES = [
  'safeguarding-children',
  'legal-obligation',
  'public-task',
  'vital-interests',
  'consent',
] as const;
type LawfulBasis = (typeof LAWFUL_BASES)[number];

/** Where an entry came from: typed in the tab, or added by the feature that shared. */
type SharingSource = 'tab' | 'referral' | 'transfer';

/**
 * One line of the information-sharing log: a disclosure (what, to whom, when, why, on which
 * lawful basis, who decided) or a reasoned decision not to share. Append-only.
 */
export interface SharingEntry extends SchoolScope {
  readonly entryId: string;
  readonly kind: 'disclosure' | 'not-shared';
  /** The pupils it is about (a record's subject and linked pupils, or one pupil). */
  readonly pupilIds: readonly string[];
  /** The record it was recorded from, if any. */
  readonly incidentId?: string;
  readonly reference?: string;
  readonly what: string;
  /** The agency or person shared with (or who asked, for a decision not to share). */
  readonly recipient: string;
  /** When it was shared, or decided. */
  readonly at: Date;
  /** Why it was shared, or why not. */
  readonly why: string;
  /** A disclosure's lawful basis; none for a decision not to share. */
  readonly lawfulBasis?: LawfulBasis;
  readonly decidedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly recordedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly recordedAt: Date;
  readonly source: SharingSource;
  /** The action or transfer that added it (its id), so it is added once. */
  readonly sourceId?: string;
}
