import type { Connection } from 'mongoose';
import type { AdultConcernAlerts, EscalationConfig } from '../alerts';
import type { AuditTrail } from '../audit';
import type { SchoolDayConfig, StatutoryCalendar } from '../clocks';
import type { NarrativeCipher } from '../encryption';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { AdultConcernCaseService } from './adult-concern-case.service';
import { AdultConcernConflictRepository } from './adult-concern-conflict.repository';
import { AdultConcernConflicts } from './adult-concern-conflicts.service';
import { AdultConcernDraftRepository } from './adult-concern-draft.repository';
import { AdultConcernEscalation } from './adult-concern-escalation';
import { AdultConcernFormService } from './adult-concern-form.service';
import { AdultConcernRepository } from './adult-concern.repository';
import { AdultConcernService, type AdultConcernDirectory } from './adult-concern.service';

interface AdultConcernsModuleDeps {
  readonly cipher: NarrativeCipher;
  /** The staff directory: the adult when they are staff, and the case managers by role. */
  readonly staff: AdultConcernDirectory;
  /** alerts/ owns the outbox; this feature says who is told, and when. */
  readonly alerts: Pick<AdultConcernAlerts, 'queue'>;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly leases: ConstructorParameters<typeof AdultConcernEscalation>[0]['leases'];
  readonly calendar: StatutoryCalendar;
  /** The school's escalation pace (the ladder is this feature's own). */
  readonly escalation: EscalationConfig;
  readonly schoolDay: SchoolDayConfig;
}

/**
 * Concerns and allegations about adults, kept apart: collections of their own, their own access
 * policy, alerts of their own kind and audit kinds of their own. Only the composition root and the
 * bot's and tab's adult-concern edges may import this feature (dependency-cruiser checks it).
 */
export function createAdultConcernsModule(connection: Connection, deps: AdultConcernsModuleDeps) {
  const concerns = new AdultConcernRepository(connection, deps.cipher);
  const conflicts = new AdultConcernConflictRepository(connection);
  const drafts = new AdultConcernDraftRepository(connection, deps.cipher);
  const adultConcerns = new AdultConcernService({
    concerns,
    conflicts,
    directory: deps.staff,
    alerts: deps.alerts,
    audit: deps.audit,
    clock: deps.clock,
    calendar: deps.calendar,
  });
  const adultConcernForms = new AdultConcernFormService(adultConcerns, drafts, deps.clock);
  const adultConcernConflicts = new AdultConcernConflicts({
    conflicts,
    audit: deps.audit,
    clock: deps.clock,
  });
  const adultConcernCases = new AdultConcernCaseService({
    concerns,
    access: adultConcerns,
    audit: deps.audit,
    clock: deps.clock,
    calendar: deps.calendar,
  });
  /** The escalation loop, one per app instance (leases keep each look to one of them). */
  const adultConcernEscalation = (owner: string, logger: Logger) =>
    new AdultConcernEscalation({
      concerns,
      access: adultConcerns,
      directory: deps.staff,
      alerts: deps.alerts,
      leases: deps.leases,
      clock: deps.clock,
      escalation: deps.escalation,
      schoolDay: deps.schoolDay,
      owner,
      logger,
    });
  return {
    adultConcerns,
    adultConcernForms,
    adultConcernCases,
    adultConcernConflicts,
    adultConcernEscalation,
    adultConcernStores: { concerns, drafts },
  };
}
