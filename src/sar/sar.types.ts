import type { SchoolScope } from '../shared/school-scope';

/** Who may ask for a child's data and how they stand to the child (the register's first question). */
export const SAR_RELATIONSHIPS = ['pupil', 'parent', 'carer', 'solicitor', 'other'] as const;
type SarRelationship = (typeof SAR_RELATIONSHIPS)[number];

/** Where a request stands: open until answered, extended when complex, then closed one way. */
type SarStatus = 'open' | 'extended' | 'released' | 'refused' | 'withdrawn';

/** Whether a parent or carer asking holds parental responsibility (checked, with its reason). */
export const PARENTAL_RESPONSIBILITY = ['held', 'not-held'] as const;

/**
 * Whether the child can decide about their own data (ICO: usually from about 12), and if so what
 * they decided: a competent child who does not agree stops a release to the parent.
 */
export const CHILD_COMPETENCE = [
  'not-competent',
  'competent-consents',
  'competent-refuses',
] as const;

/** A decision the DSL writes down with its reason, who made it and when. */
interface SarDecision<T extends string> {
  readonly decision: T;
  readonly reason: string;
  readonly decidedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly decidedAt: Date;
}

/** A request as first logged: who asks, for whom, how their identity was checked. */
export interface SarRegistration extends SchoolScope {
  readonly sarId: string;
  /** For people: "SAR-2026-11-10-7f3a" (date received and a short id), never a name. */
  readonly reference: string;
  readonly pupilId: string;
  readonly requesterName: string;
  readonly relationship: SarRelationship;
  /** How the requester's identity was checked (e.g. "passport seen at reception"). */
  readonly identityCheck: string;
  /** The request's own words or a summary of what is asked for. */
  readonly scopeOfRequest: string;
  readonly receivedAt: Date;
  readonly loggedBy: { readonly aadObjectId: string; readonly displayName: string };
  readonly loggedAt: Date;
}

/** One change to a request after it was logged: each is kept, in order (sequence 1, 2, …). */
export type SarChange = SchoolScope & {
  readonly sarId: string;
  readonly sequence: number;
  readonly by: { readonly aadObjectId: string; readonly displayName: string };
  readonly at: Date;
} & (
    | {
        readonly kind: 'extension';
        readonly months: 1 | 2;
        readonly reason: string;
        /** The school-local day the requester was told (YYYY-MM-DD): the law asks for it. */
        readonly requesterToldOn: string;
      }
    | {
        readonly kind: 'parental-responsibility';
        readonly decision: (typeof PARENTAL_RESPONSIBILITY)[number];
        readonly reason: string;
      }
    | {
        readonly kind: 'competence';
        readonly decision: (typeof CHILD_COMPETENCE)[number];
        readonly reason: string;
      }
    | {
        readonly kind: 'closed';
        readonly status: Exclude<SarStatus, 'open' | 'extended'>;
        /** What was sent (or why nothing was): the register's "response". */
        readonly response: string;
      }
  );

/** A request as the register shows it: the registration with its changes folded in. */
export interface SubjectAccessRequest extends SarRegistration {
  readonly status: SarStatus;
  readonly dueAt: Date;
  readonly extension?: { months: 1 | 2; reason: string; requesterToldOn: string };
  readonly parentalResponsibility?: SarDecision<(typeof PARENTAL_RESPONSIBILITY)[number]>;
  readonly competence?: SarDecision<(typeof CHILD_COMPETENCE)[number]>;
  readonly response?: { text: string; at: Date; byName: string };
  readonly changes: number;
}
