import type { SchoolScope } from '../shared/school-scope';

/** What happened. Stable strings: auditors and the verify command read them. */
type AuditAction =
  | 'record.create'
  | 'record.view'
  | 'record.view-narrative'
  | 'record.amend'
  | 'record.export'
  | 'record.close'
  | 'record.reopen'
  | 'record.review'
  | 'action.create'
  | 'alert.acknowledge'
  | 'chronology.view'
  | 'audit.view'
  | 'access.denied'
  | 'session.sign-in'
  | 'session.step-up'
  | 'pupil.status-view'
  | 'pupil.status-change'
  // Concerns about adults (src/adult-concerns): the same chain, kinds of their own.
  | 'adult-concern.create'
  | 'adult-concern.list'
  | 'adult-concern.view'
  | 'adult-concern.acknowledge'
  | 'adult-concern.change'
  | 'adult-concern.outcome'
  | 'adult-concern.invite'
  | 'adult-concern.conflict-declared'
  | 'report.view'
  | 'report.export'
  | 'report.targets-change'
  // Subject access requests (src/sar/) and the information-sharing log (src/sharing/).
  | 'sar.register'
  | 'sar.view'
  | 'sar.change'
  | 'sar.bundle-view'
  | 'sar.review-save'
  | 'sar.bundle-release'
  | 'sharing.record'
  | 'sharing.view'
  | 'transfer.open'
  | 'transfer.view'
  | 'transfer.notice'
  | 'transfer.send'
  | 'transfer.link-open'
  | 'transfer.code-wrong'
  | 'transfer.link-locked'
  | 'transfer.receipt'
  | 'transfer.download'
  | 'transfer.import'
  // Records that arrived from another school (src/transfers/transferred-in-*).
  | 'transfer.import-check'
  | 'transfer.record-view'
  | 'transfer.file-download'
  | 'pattern.flag-raise'
  | 'pattern.flag-review'
  | 'pattern.rules-change'
  // Retention, legal hold and disposal (src/retention/).
  | 'retention.rules-view'
  | 'retention.rules-change'
  | 'retention.list'
  | 'retention.retain'
  | 'retention.hold-place'
  | 'retention.hold-lift'
  | 'retention.dispose-refused'
  | 'retention.disposal-certificate';

/** What it happened to: ids only, never a name or narrative. */
interface AuditTarget {
  readonly kind:
    | 'incident'
    | 'pupil'
    | 'action'
    | 'alert'
    | 'file'
    | 'school'
    | 'session'
    | 'adult-concern'
    | 'transfer';
  readonly id: string;
}

/** One event as a feature reports it; the trail adds time, sequence and the chain hash. */
export interface AuditEventInput extends SchoolScope {
  readonly actorAadObjectId: string;
  readonly action: AuditAction;
  readonly target: AuditTarget;
  /** Why: an amendment's reason, a denial's reason code, an export's purpose. */
  readonly reason?: string;
  /** Ties the event to the request that caused it (Teams activity id, HTTP request id). */
  readonly requestId?: string;
}

/** A stored event: append-only and chained per school. */
export interface AuditEvent extends AuditEventInput {
  /** 1, 2, 3 … per school: a gap means an event was removed. */
  readonly sequence: number;
  readonly at: Date;
  /** SHA-256 of the previous event of the school ('' for the first). */
  readonly previousHash: string;
  /** SHA-256 over this event's fields and previousHash. */
  readonly hash: string;
}

/** What features need: write one event. Narrow so services take it as a collaborator. */
export interface AuditTrail {
  record(event: AuditEventInput): Promise<void>;
}
