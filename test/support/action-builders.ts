import { ReferralsAwaitingDecision } from '../../src/actions/referrals-awaiting';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { AccessActor } from '../../src/access';
import {
  ActionJobRepository,
  ActionJobs,
  ActionRepository,
  ActionService,
  CaseStatusRepository,
  CaseStatusService,
  type ActionInput,
} from '../../src/actions';
import {
  ActionAlerts,
  AlertRepository,
  DeliveryBell,
  subscribeActionAlerts,
} from '../../src/alerts';
import { DEFAULT_SCHOOL_DAY } from '../../src/clocks';
import { AuditLog, AuditRepository } from '../../src/audit';
import { ENGLAND_BANK_HOLIDAYS_2026_2027 } from '../../src/clocks';
import { createFileStore } from '../../src/files';
import { RecordAccess } from '../../src/access';
import { throwawayCipher } from '../../src/encryption';
import { InProcessDomainEvents } from '../../src/events';
import { IncidentRepository, type Incident } from '../../src/incidents';
import type { SchoolScope } from '../../src/shared/school-scope';
import type { Agency } from '../../src/schools/school-lists.types';
import type { Clock } from '../../src/shared/clock';
import type { StaffMember } from '../../src/staff/staff.types';
import { LeaseRepository } from '../../src/store/lease.repository';
import { aDirectory, SCOPE } from './incident-builders';
import { capturingLogger } from './silent-logger';

function member(aadObjectId: string, overrides: Partial<StaffMember> = {}): StaffMember {
  return {
    ...SCOPE,
    aadObjectId,
    displayName: `Name of ${aadObjectId}`,
    email: `${aadObjectId}@example.invalid`,
    jobTitle: undefined,
    roles: ['staff'],
    conflictPupilIds: [],
    active: true,
    ...overrides,
  };
}

/** Staff at SCOPE's school: the recorder, a teacher, the DSL, an outsider and a conflicted one. */
const STAFF: readonly StaffMember[] = [
  member('aad-recorder'),
  member('aad-teacher'),
  member('aad-dsl', { roles: ['dsl'] }),
  member('aad-outsider'),
  member('aad-conflicted', { conflictPupilIds: ['p1'] }),
];

const AGENCIES: Agency[] = [
  {
    ...SCOPE,
    agencyId: 'social-care-mash',
    name: "Children's social care / MASH",
    childrensSocialCare: true,
    active: true,
    order: 1,
  },
  // A school on a county border: the neighbouring authority's front door is social care too.
  {
    ...SCOPE,
    agencyId: 'county-front-door',
    name: 'County children’s services',
    childrensSocialCare: true,
    active: true,
    order: 2,
  },
  {
    ...SCOPE,
    agencyId: 'police',
    name: 'Police',
    childrensSocialCare: false,
    active: true,
    order: 3,
  },
];

/** An actor as the access policy sees it, at SCOPE's school. */
export function anAccessActor(aadObjectId: string, steppedUp = false): AccessActor {
  const m = STAFF.find((s) => s.aadObjectId === aadObjectId) ?? member(aadObjectId);
  return {
    tenantId: m.tenantId,
    schoolId: m.schoolId,
    aadObjectId: m.aadObjectId,
    displayName: m.displayName,
    roles: m.roles,
    conflictPupilIds: m.conflictPupilIds,
    steppedUp,
  };
}

/** A valid action input of a kind (override anything). */
export function anActionInput(
  details: ActionInput['details'],
  overrides: Partial<ActionInput> = {},
): ActionInput {
  return {
    details,
    happenedAt: new Date('2026-11-23T10:30:00.000Z'),
    text: 'Spoke with mum at the gate; she will bring Jamie in early tomorrow.',
    alertStaffIds: [],
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

/**
 * The actions feature built on a connection as the app builds it (a "restart" is calling this
 * again on the same database); directory reads are an in-memory fake of our own interfaces.
 */
export function buildActionServices(connection: Connection, clock: Clock) {
  const repository = new ActionRepository(connection, throwawayCipher());
  const statuses = new CaseStatusRepository(connection, throwawayCipher());
  const jobRepository = new ActionJobRepository(connection);
  const incidents = new IncidentRepository(connection, throwawayCipher());
  const alerts = new AlertRepository(connection);
  const audit = new AuditRepository(connection);
  const fileStore = createFileStore({ kind: 'mongo' }, connection, throwawayCipher());
  const lists = aDirectory();
  const auditLog = new AuditLog(audit, clock);
  // As the app wires it: alerts/ queues an added action's alerts and the clocks' alerts.
  const events = new InProcessDomainEvents();
  const actionAlerts = new ActionAlerts(alerts, new DeliveryBell());
  // The app's RecordAccess, over the same sources the app wires (invitations from actions).
  const access: RecordAccess<Incident> = new RecordAccess<Incident>(
    {
      findRecord: (scope, id) => incidents.findById(scope, id),
      async relationsOf(scope, ids) {
        const invited = await actions.invitedTo(scope, ids);
        const entries = await Promise.all(
          ids.map(async (id) => {
            const sent = await alerts.forIncident(scope, id, 'incident');
            const alerted = sent.map((a) => a.recipientAadObjectId);
            return [id, { alerted, invited: invited.get(id) ?? [] }] as const;
          }),
        );
        return new Map(entries);
      },
      // These tests amend no record: its categories are the ones it was submitted with.
      currentCategoryIds: async (_scope, record) => record.categoryIds,
      async teamOnlyCategoryIds(scope) {
        const categories = await lists.listCategories(scope);
        return new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId));
      },
    },
    auditLog,
  );
  const records = {
    authorize: access.authorize.bind(access),
    findIncident: (scope: SchoolScope, id: string) => incidents.findById(scope, id),
    listCategories: lists.listCategories,
  };
  const calendar = {
    schoolDay: DEFAULT_SCHOOL_DAY,
    bankHolidays: ENGLAND_BANK_HOLIDAYS_2026_2027,
  };
  const actions: ActionService = new ActionService(
    repository,
    jobRepository,
    records,
    {
      findStaff: async (_s, ids) => STAFF.filter((m) => ids.includes(m.aadObjectId)),
      listAgencies: async () => AGENCIES,
    },
    fileStore,
    events,
    auditLog,
    clock,
    { calendar },
  );
  subscribeActionAlerts(events, { actionAlerts, actions, clock });
  const cases = new CaseStatusService(repository, statuses, records, auditLog, clock);
  const jobs = new ActionJobs({
    store: repository,
    jobs: jobRepository,
    records,
    team: { listSafeguardingTeam: async () => STAFF.filter((m) => m.roles.includes('dsl')) },
    alerts: actionAlerts,
    leases: new LeaseRepository(connection),
    clock,
    calendar,
    owner: `instance-${randomUUID()}`,
    logger: capturingLogger().logger,
  });
  /** The desk's referrals waiting for a decision, over the same stores. */
  const referralsAwaiting = new ReferralsAwaitingDecision(jobRepository, repository, calendar);
  return {
    actions,
    cases,
    jobs,
    referralsAwaiting,
    repository,
    incidents,
    alerts,
    audit,
    fileStore,
  };
}
