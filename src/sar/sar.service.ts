import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { StatutoryCalendar } from '../clocks';
import { pupilDisplayName, type Pupil } from '../pupils';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { toSchoolDateTime } from '../shared/school-time';
import { authorizeSar } from './sar-access';
import { isOpen, releaseBlockers, requestState } from './sar-state';
import type { SarRepository } from './sar.repository';
import {
  sarCloseSchema,
  sarDecisionSchema,
  sarExtensionSchema,
  sarRegistrationSchema,
} from './sar.schemas';
import type { SarChange, SubjectAccessRequest } from './sar.types';

const MOST_REQUESTS = 200;
const SEQUENCE_ATTEMPTS = 5;

/** What the register needs besides its store. */
export interface SarServiceDeps {
  readonly store: Pick<
    SarRepository,
    'insertRequest' | 'findRequest' | 'listRequests' | 'insertChange' | 'listChanges'
  >;
  readonly pupils: {
    getPupil(scope: SchoolScope, pupilId: string): Promise<unknown>;
    findPupils(scope: SchoolScope, ids: readonly string[]): Promise<Pupil[]>;
  };
  readonly audit: AuditTrail;
  readonly clock: Clock;
  readonly calendar: StatutoryCalendar;
}

/** A request on the DSL's desk: which, about whom, and its clock. */
export interface SarDeskLine {
  readonly sarId: string;
  readonly reference: string;
  readonly pupilId: string;
  readonly receivedAt: Date;
  readonly dueAt: Date;
  readonly status: 'open' | 'extended';
}

/** A request as the tab shows it: with the pupil's name and what still stops a release. */
export type RegisterLine = SubjectAccessRequest & {
  readonly pupilName: string;
  readonly releaseBlockers: readonly string[];
};

/**
 * The SAR register: the team logs a request, records the extension and the two decisions a
 * parent's request needs, and closes it with the response. Every read and change is audited
 * (ids and the reference only: who asked stays in the sealed register).
 */
export class SarService {
  constructor(private readonly deps: SarServiceDeps) {}

  async register(actor: AccessActor, raw: unknown, requestId?: string): Promise<RegisterLine> {
    const input = parse(sarRegistrationSchema, raw);
    await authorizeSar(
      this.deps.audit,
      actor,
      { pupilId: input.pupilId, operation: 'sar-register', stepUp: false },
      requestId,
    );
    if (!(await this.deps.pupils.getPupil(actor, input.pupilId))) {
      throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    }
    const now = this.deps.clock.now();
    if (input.receivedAt.getTime() > now.getTime()) {
      throw new AppError('SAR.INVALID', 'The date received cannot be in the future.');
    }
    const sarId = randomUUID();
    const received = toSchoolDateTime(input.receivedAt, this.deps.calendar.schoolDay.timeZone).date;
    const stored = await this.deps.store.insertRequest(input.requestKey, {
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      sarId,
      reference: `SAR-${received}-${sarId.slice(0, 4)}`,
      pupilId: input.pupilId,
      requesterName: input.requesterName,
      relationship: input.relationship,
      identityCheck: input.identityCheck,
      scopeOfRequest: input.scopeOfRequest,
      receivedAt: input.receivedAt,
      loggedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      loggedAt: now,
    });
    if (stored.sarId === sarId) await this.audit(actor, 'sar.register', stored, requestId);
    return this.named(actor, [await this.state(actor, stored.sarId)]).then(([r]) => r!);
  }

  /** The register: every request of the school but those about a pupil the reader is conflicted with. */
  async list(actor: AccessActor, requestId?: string): Promise<RegisterLine[]> {
    await authorizeSar(
      this.deps.audit,
      actor,
      { pupilId: '', operation: 'sar-list', stepUp: false },
      requestId,
    );
    const requests = await this.all(actor);
    const visible = requests.filter((r) => !actor.conflictPupilIds.includes(r.pupilId));
    for (const r of visible) await this.audit(actor, 'sar.view', r, requestId);
    return this.named(actor, visible);
  }

  async get(actor: AccessActor, sarId: string, requestId?: string): Promise<RegisterLine> {
    const request = await this.state(actor, sarId);
    await authorizeSar(
      this.deps.audit,
      actor,
      { pupilId: request.pupilId, operation: 'sar-view', stepUp: false },
      requestId,
    );
    await this.audit(actor, 'sar.view', request, requestId);
    return this.named(actor, [request]).then(([r]) => r!);
  }

  private async named(
    scope: SchoolScope,
    requests: readonly SubjectAccessRequest[],
  ): Promise<RegisterLine[]> {
    const pupils = await this.deps.pupils.findPupils(
      scope,
      requests.map((r) => r.pupilId),
    );
    const names = new Map(pupils.map((p) => [p.pupilId, pupilDisplayName(p)]));
    return requests.map((r) => ({
      ...r,
      pupilName: names.get(r.pupilId) ?? 'A pupil no longer on roll',
      releaseBlockers: releaseBlockers(r),
    }));
  }

  async extend(actor: AccessActor, sarId: string, raw: unknown, requestId?: string) {
    const input = parse(sarExtensionSchema, raw);
    return this.change(actor, sarId, { kind: 'extension', ...input }, requestId, (request) => {
      if (request.extension)
        throw new AppError('SAR.INVALID', 'The request has been extended already.');
    });
  }

  async decide(actor: AccessActor, sarId: string, raw: unknown, requestId?: string) {
    const input = parse(sarDecisionSchema, raw);
    return this.change(actor, sarId, input, requestId, (request) => {
      if (request.relationship !== 'parent' && request.relationship !== 'carer') {
        throw new AppError(
          'SAR.INVALID',
          'These decisions are for a request from a parent or carer.',
        );
      }
    });
  }

  /** Closes a request with its response; a release needs the decisions first. */
  async close(actor: AccessActor, sarId: string, raw: unknown, requestId?: string) {
    const input = parse(sarCloseSchema, raw);
    return this.change(actor, sarId, { kind: 'closed', ...input }, requestId, (request) => {
      const blockers = input.status === 'released' ? releaseBlockers(request) : [];
      if (blockers.length > 0) throw new AppError('SAR.DECISIONS_REQUIRED', blockers.join(' '));
    });
  }

  /** A request as it stands, for the bundle (which authorizes and audits on its own). */
  async state(scope: SchoolScope, sarId: string): Promise<SubjectAccessRequest> {
    const registration = await this.deps.store.findRequest(scope, sarId);
    if (!registration) throw new AppError('SAR.NOT_FOUND', 'no such request at this school');
    const changes = await this.deps.store.listChanges(scope, [sarId]);
    return requestState(registration, changes, this.deps.calendar);
  }

  /** Open requests with their clocks, soonest due first, for the desk (names come from the desk). */
  async openForDesk(actor: AccessActor): Promise<SarDeskLine[]> {
    const requests = (await this.all(actor)).filter(
      (r) => isOpen(r) && !actor.conflictPupilIds.includes(r.pupilId),
    );
    return requests
      .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
      .map((r) => ({
        sarId: r.sarId,
        reference: r.reference,
        pupilId: r.pupilId,
        receivedAt: r.receivedAt,
        dueAt: r.dueAt,
        status: r.status as 'open' | 'extended',
      }));
  }

  private async all(scope: SchoolScope): Promise<SubjectAccessRequest[]> {
    const registrations = await this.deps.store.listRequests(scope, MOST_REQUESTS);
    const changes = await this.deps.store.listChanges(
      scope,
      registrations.map((r) => r.sarId),
    );
    return registrations.map((r) =>
      requestState(
        r,
        changes.filter((c) => c.sarId === r.sarId),
        this.deps.calendar,
      ),
    );
  }

  /** Appends a change to an open request after `check`, retrying a sequence taken meanwhile. */
  private async change(
    actor: AccessActor,
    sarId: string,
    body: DistributiveOmit<SarChange, 'tenantId' | 'schoolId' | 'sarId' | 'sequence' | 'by' | 'at'>,
    requestId: string | undefined,
    check: (request: SubjectAccessRequest) => void,
  ): Promise<RegisterLine> {
    for (let attempt = 0; attempt < SEQUENCE_ATTEMPTS; attempt += 1) {
      const request = await this.state(actor, sarId);
      await authorizeSar(
        this.deps.audit,
        actor,
        { pupilId: request.pupilId, operation: 'sar-change', stepUp: false },
        requestId,
      );
      if (!isOpen(request)) throw new AppError('SAR.CLOSED', 'the request is closed');
      check(request);
      const inserted = await this.deps.store.insertChange({
        ...body,
        tenantId: actor.tenantId,
        schoolId: actor.schoolId,
        sarId,
        sequence: request.changes + 1,
        by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        at: this.deps.clock.now(),
      } as SarChange);
      if (inserted) {
        await this.audit(actor, 'sar.change', request, requestId, body.kind);
        return this.named(actor, [await this.state(actor, sarId)]).then(([r]) => r!);
      }
    }
    throw new AppError('SAR.CONTENDED', 'the request kept changing meanwhile');
  }

  private async audit(
    actor: AccessActor,
    action: 'sar.register' | 'sar.view' | 'sar.change',
    request: { pupilId: string; reference: string },
    requestId: string | undefined,
    what?: string,
  ): Promise<void> {
    await this.deps.audit.record(
      auditEvent(
        actor,
        action,
        { kind: 'pupil', id: request.pupilId },
        { reason: what ? `${request.reference} ${what}` : request.reference, requestId },
      ),
    );
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Parses a body, or SAR.INVALID with the first problem in words (never a value). */
function parse<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('SAR.INVALID', parsed.error.issues[0]?.message ?? 'invalid request');
  }
  return parsed.data;
}
