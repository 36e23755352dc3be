import type { SchoolScope } from '../shared/school-scope';

/** Where the pupil is going, as the MIS or the team knows it (both may be unknown at first). */
export interface Destination {
  readonly schoolName?: string;
  /** The new school's Unique Reference Number (England, 6 digits, from Get Information about Schools). */
  readonly urn?: string;
}

/** Who did something, as the audit and the sent log name them. */
interface TransferPerson {
  readonly aadObjectId: string;
  readonly displayName: string;
}

/** How and when the next school was told the file is coming (the draft KCSIE 2026 asks for it early). */
export interface AdvanceNotice {
  readonly at: Date;
  /** e.g. "phone call to their DSL", "secure email via the LA". */
  readonly how: string;
  readonly by: TransferPerson;
}

/** One sending of the package: what, when, to whom, and the hash of the bytes that left. */
export interface SentEntry {
  readonly sentAt: Date;
  readonly sentBy: TransferPerson;
  readonly recipientName: string;
  readonly recipientSchool: string;
  /** How many records, versions, actions and files went: "what was sent", without narrative. */
  readonly contents: { records: number; versions: number; actions: number; files: number };
  /** SHA-256 (hex) of the encrypted archive offered for download. */
  readonly sha256: string;
  readonly linkExpiresAt: Date;
}

/** The receiving DSL's confirmation, typed on the download page. */
export interface TransferReceipt {
  readonly name: string;
  readonly school: string;
  readonly role: string;
  readonly receivedAt: Date;
}

/**
 * A child protection file on its way to the next school: opened when the pupil is marked as
 * leaving, it carries the statutory clock (5 school days) until the receipt stops it.
 */
export interface TransferCase extends SchoolScope {
  readonly transferId: string;
  readonly pupilId: string;
  readonly openedAt: Date;
  readonly openedBy: TransferPerson;
  readonly source: 'import' | 'tab';
  /** YYYY-MM-DD, when known. */
  readonly leavingDate?: string;
  readonly destination: Destination;
  /** When the statutory clock started: the leaving date (school time) or the opening. */
  readonly clockStartedAt: Date;
  readonly dueBy: Date;
  readonly notice?: AdvanceNotice;
  readonly sent: readonly SentEntry[];
  readonly receipt?: TransferReceipt;
}

/** A transfer as lists show it: where it stands against its clock. */
export type TransferState = 'awaiting-send' | 'awaiting-receipt' | 'received';

/** Which state a case is in. */
export function stateOf(transfer: TransferCase): TransferState {
  if (transfer.receipt) return 'received';
  return transfer.sent.length > 0 ? 'awaiting-receipt' : 'awaiting-send';
}
