import type { AccessActor } from '../access';
import { taskTimes } from '../clocks';
import type { Incident } from '../incidents';
import type { Agency } from '../schools';
import type { SchoolScope } from '../shared/school-scope';
import { toSchoolDateTime } from '../shared/school-time';
import { isSafeguardingTeam, type StaffMember } from '../staff';
import { ActionValidationError, type ActionFieldErrors } from './action.errors';
import type { ActionConfig, ActionDetails, ActionInput } from './action.types';

/** The directory reads adding an action needs. */
export interface ActionDirectory {
  findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  listAgencies(scope: SchoolScope): Promise<Agency[]>;
}

/** Files a meeting's minutes can be: the author's own uploads (src/files). */
export interface ActionFiles {
  metadata(
    scope: SchoolScope,
    fileId: string,
  ): Promise<{ fileId: string; name: string; uploadedBy: { aadObjectId: string } } | undefined>;
}

/** What checking an action reads. */
interface ActionCheckDeps {
  readonly directory: ActionDirectory;
  readonly files: ActionFiles;
  readonly config: ActionConfig;
}

// A phone's clock a little ahead of ours should not make "just now" look like the future.
const FUTURE_SLACK_MS = 2 * 60_000;

/** Checks an action's input against the record, the clock and the directory; fills in names. */
export async function checkActionDetails(
  deps: ActionCheckDeps,
  actor: AccessActor,
  incident: Incident,
  input: ActionInput,
  now: Date,
): Promise<ActionDetails> {
  const errors: ActionFieldErrors = {};
  if (input.happenedAt.getTime() > now.getTime() + FUTURE_SLACK_MS) {
    errors.happenedDate = 'When it happened cannot be in the future.';
  }
  const pupilIds = pupilIdsOf(incident);
  const named = [
    ...input.alertStaffIds,
    ...(input.details.kind === 'task' ? [input.details.assigneeAadObjectId] : []),
  ];
  const staff = named.length > 0 ? await deps.directory.findStaff(actor, named) : [];
  const usable = (id: string) => {
    const member = staff.find((m) => m.aadObjectId === id);
    return member?.active && !member.conflictPupilIds.some((p) => pupilIds.includes(p))
      ? member
      : undefined;
  };
  if (input.alertStaffIds.some((id) => !usable(id))) {
    errors.alertStaffIds = 'Choose people from your school’s staff list.';
  }
  const details = await detailsOf(deps, actor, input, usable, errors, now);
  if (Object.keys(errors).length > 0 || !details) throw new ActionValidationError(errors);
  return details;
}

async function detailsOf(
  deps: ActionCheckDeps,
  actor: AccessActor,
  input: ActionInput,
  usable: (id: string) => StaffMember | undefined,
  errors: ActionFieldErrors,
  now: Date,
): Promise<ActionDetails | undefined> {
  const d = input.details;
  switch (d.kind) {
    case 'note':
    case 'conversation':
    case 'phone-call':
      return d;
    case 'decision':
      // The outcome of a concern is the team's call (KCSIE: the DSL decides); the bot's form offers
      // the kind to the team only, and this refuses it from anyone else who posts it anyway.
      if (!isSafeguardingTeam(actor.roles)) {
        errors.kind = 'Only the safeguarding team records decisions.';
      }
      if (d.outcome === 'no-further-action' && d.reason.trim() === '') {
        errors.reason = 'A decision of no further action needs its reason.';
      }
      return d;
    case 'meeting': {
      if (!d.minutesFileId) return { kind: 'meeting' };
      const file = await deps.files.metadata(actor, d.minutesFileId);
      if (!file || file.uploadedBy.aadObjectId !== actor.aadObjectId) {
        errors.minutesFileId = 'Send the minutes file to me first, then choose it here.';
        return undefined;
      }
      return { kind: 'meeting', minutes: { fileId: file.fileId, name: file.name } };
    }
    case 'referral': {
      const agency = (await deps.directory.listAgencies(actor)).find(
        (a) => a.agencyId === d.agencyId && a.active,
      );
      if (!agency) errors.agencyId = 'Choose an agency from your school’s list.';
      if (d.referredAt.getTime() > now.getTime() + FUTURE_SLACK_MS) {
        errors.referredDate = 'The referral date cannot be in the future.';
      }
      return agency
        ? {
            kind: 'referral',
            agencyId: agency.agencyId,
            agencyName: agency.name,
            agencyReference: d.agencyReference,
            referredAt: d.referredAt,
            statutory: agency.childrensSocialCare,
          }
        : undefined;
    }
    case 'task': {
      const assignee = usable(d.assigneeAadObjectId);
      if (!assignee) errors.assignee = 'Choose someone from your school’s staff list.';
      // YYYY-MM-DD strings order as dates do.
      if (d.dueDate < toSchoolDateTime(now, deps.config.calendar.schoolDay.timeZone).date) {
        errors.dueDate = 'The due date cannot be in the past.';
      }
      const { dueAt } = taskTimes(d.dueDate, deps.config.calendar);
      return assignee && !errors.dueDate
        ? {
            kind: 'task',
            assignee: { aadObjectId: assignee.aadObjectId, displayName: assignee.displayName },
            dueDate: d.dueDate,
            dueAt,
          }
        : undefined;
    }
  }
}

function pupilIdsOf(incident: Incident): string[] {
  return [incident.pupilId, ...incident.linkedPupils.map((p) => p.pupilId)];
}
