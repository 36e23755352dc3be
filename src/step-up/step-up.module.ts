import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { Clock } from '../shared/clock';
import { StepUpRepository } from './step-up.repository';
import { StepUpService } from './step-up.service';

interface StepUpModuleDeps {
  readonly audit: AuditTrail;
  readonly clock: Clock;
  /** The config slice: how long a step-up in the tab counts for the bot. */
  readonly windowMinutes: number;
}

/** A second factor proven in the tab, remembered server-side for the bot's sensitive reads. */
export function createStepUpModule(connection: Connection, deps: StepUpModuleDeps) {
  const stepUp = new StepUpService(
    new StepUpRepository(connection),
    deps.audit,
    deps.clock,
    deps.windowMinutes,
  );
  return { stepUp };
}
