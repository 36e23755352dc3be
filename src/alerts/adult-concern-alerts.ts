import { randomUUID } from 'node:crypto';
import type { AlertRepository } from './alert.repository';
import type { Alert } from './alert.types';
import type { DeliveryBell } from './delivery-bell';

/**
 * A concern about an adult as its alert sees it: ids, a reference and when it was recorded. No
 * name of the adult, no category, no detail: the card says only that there is something to read.
 */
export interface AdultConcernAlertSubject {
  readonly tenantId: string;
  readonly schoolId: string;
  readonly concernId: string;
  readonly reference: string;
  readonly recordedAt: Date;
  readonly recorderAadObjectId: string;
}

/**
 * The outbox alerts of concerns about adults. alerts/ owns their shape and delivery; the
 * adult-concerns feature decides who gets them (its own access policy and escalation ladder).
 * They are of their own kind, which nothing on the pupil side reads: the access facts
 * (`alertedAbout`), the `alerts` command and the desk all read kind `incident` only.
 */
export class AdultConcernAlerts {
  constructor(
    private readonly outbox: Pick<AlertRepository, 'insertMissing'>,
    private readonly bell: Pick<DeliveryBell, 'ring'>,
  ) {}

  /**
   * Queues one wave for these people (the unique key makes a repeat harmless) and wakes delivery.
   * Returns how many were new.
   */
  async queue(
    concern: AdultConcernAlertSubject,
    recipients: readonly string[],
    reason: Extract<Alert['reason'], 'case-manager' | 'escalation' | 'reminder' | 'referral-clock'>,
    wave: number,
    now: Date,
  ): Promise<number> {
    const alerts = [...new Set(recipients)].map((recipient): Alert => ({
      alertId: randomUUID(),
      tenantId: concern.tenantId,
      schoolId: concern.schoolId,
      kind: 'adult-concern',
      incidentId: concern.concernId,
      reference: concern.reference,
      recipientAadObjectId: recipient,
      reason,
      wave,
      // The recorder's name stays off the outbox too: the case manager reads it in the record.
      recordedBy: { aadObjectId: concern.recorderAadObjectId, displayName: 'a member of staff' },
      categoryNames: [],
      recordedAt: concern.recordedAt,
      createdAt: now,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
    }));
    const inserted = await this.outbox.insertMissing(alerts);
    if (inserted > 0) this.bell.ring();
    return inserted;
  }
}
