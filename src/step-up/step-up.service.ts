import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import { auditEvent } from '../audit';

/** What the service needs from storage (StepUpRepository provides it). */
export interface StepUpStore {
  record(scope: SchoolScope, aadObjectId: string, at: Date): Promise<void>;
  lastAt(scope: SchoolScope, aadObjectId: string): Promise<Date | undefined>;
}

/** The person a step-up is about. */
type Person = SchoolScope & { readonly aadObjectId: string };

/**
 * Step-up recorded server-side: the tab records it when a verified token carries the configured
 * authentication context, and the bot (which sees no token) honours it for a window.
 */
export class StepUpService {
  constructor(
    private readonly store: StepUpStore,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
    private readonly windowMinutes: number,
  ) {}

  /**
   * Records a second factor proven at `provenAt` (the token's issue time), once per token: a
   * token already recorded changes nothing, so each request may call this. Audited as
   * session.step-up.
   */
  async noteStepUp(person: Person, provenAt: Date, requestId?: string): Promise<void> {
    const last = await this.store.lastAt(person, person.aadObjectId);
    if (last && last.getTime() >= provenAt.getTime()) return;
    await this.store.record(person, person.aadObjectId, provenAt);
    await this.audit.record(
      auditEvent(
        person,
        'session.step-up',
        { kind: 'session', id: person.aadObjectId },
        { requestId },
      ),
    );
  }

  /** True when the person stepped up within the configured window. */
  async isSteppedUp(person: Person): Promise<boolean> {
    const at = await this.store.lastAt(person, person.aadObjectId);
    if (!at) return false;
    return this.clock.now().getTime() - at.getTime() <= this.windowMinutes * 60_000;
  }
}
