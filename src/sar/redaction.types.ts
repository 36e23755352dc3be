/**
 * The SAR bundle and its redactions. A bundle is what the school holds about a child, as
 * paragraphs of plain text; the app proposes redactions in them and the DSL decides each.
 */

/** Why the app proposed a redaction: whose data or what kind of detail it is. */
export type ProposalKind =
  | 'pupil'
  | 'linked-pupil'
  | 'staff'
  | 'adult'
  | 'agency'
  | 'email'
  | 'phone'
  | 'postcode'
  /** Words the DSL withheld by hand: the app did not propose them. */
  | 'manual';

/** The exemptions a DSL may give for withholding (UK GDPR / DPA 2018 Schedule 2–4). */
export const EXEMPTIONS = [
  'third-party-data',
  'serious-harm',
  'crime-prevention',
  'legal-privilege',
  'other',
] as const;
export type Exemption = (typeof EXEMPTIONS)[number];

/** How each exemption reads in the schedule of exemptions. */
export const EXEMPTION_LABELS: Readonly<Record<Exemption, string>> = {
  'third-party-data': 'Third-party personal data (DPA 2018 Sch. 2 para. 16)',
  'serious-harm': 'Serious harm to the physical or mental health of any person (DPA 2018 Sch. 3)',
  'crime-prevention': 'Prevention or detection of crime (DPA 2018 Sch. 2 para. 2)',
  'legal-privilege': 'Legal professional privilege (DPA 2018 Sch. 2 para. 19)',
  other: 'Other',
};

/** One paragraph of the bundle, with a stable id so decisions survive a re-read. */
export interface BundleParagraph {
  /** e.g. "incident:<id>:facts", "action:<id>:text", "file:<id>:text". */
  readonly paragraphId: string;
  readonly label: string;
  readonly text: string;
}

export interface BundleSection {
  readonly sectionId: string;
  readonly heading: string;
  readonly paragraphs: readonly BundleParagraph[];
}

/** A span the app suggests withholding: where it is and why it was suggested. */
export interface RedactionProposal {
  /** Stable across re-reads: paragraph, the words matched and which occurrence. */
  readonly proposalId: string;
  readonly paragraphId: string;
  readonly start: number;
  readonly end: number;
  readonly kind: ProposalKind;
}

/** The DSL's decision on one proposal. */
export type RedactionDecision =
  | {
      readonly proposalId: string;
      readonly decision: 'redact';
      readonly exemption: Exemption;
      /** Required for "other": the exemption in the DSL's words. */
      readonly otherText?: string;
    }
  | { readonly proposalId: string; readonly decision: 'disclose' };

/** Words the DSL withholds by hand, kept in the review as written (robust to a re-read). */
export interface ManualRedaction {
  readonly paragraphId: string;
  readonly text: string;
  /** Which occurrence of the words in the paragraph, from 1. */
  readonly occurrence: number;
}

/** A name or word the directory knows, to look for in the bundle's text. */
export interface KnownName {
  readonly text: string;
  readonly kind: ProposalKind;
}
