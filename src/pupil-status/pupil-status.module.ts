import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import type { NarrativeCipher } from '../encryption';
import type { Clock } from '../shared/clock';
import type { SchoolScope } from '../shared/school-scope';
import { PupilStatusRepository } from './pupil-status.repository';
import { PupilStatusService } from './pupil-status.service';

/** Pupils' statuses: a sealed, append-only history per pupil, read and changed by the team. */
export function createPupilStatusModule(
  connection: Connection,
  deps: {
    readonly cipher: NarrativeCipher;
    readonly pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<unknown> };
    readonly audit: AuditTrail;
    readonly clock: Clock;
  },
) {
  const pupilStatusRepository = new PupilStatusRepository(connection, deps.cipher);
  const pupilStatus = new PupilStatusService(
    pupilStatusRepository,
    deps.pupils,
    deps.audit,
    deps.clock,
  );
  return { pupilStatus, pupilStatusRepository };
}
