import type { AccessActor } from '../access';
import type { RecordsLeftOut } from '../incidents';
import type { PatternFlag } from '../patterns';
import type { SchoolScope } from '../shared/school-scope';
import type { OpenCaseLine, PatternFlagLine } from './desk.types';

const MOST_LINES = 50;
const DAY_MS = 86_400_000;

/** Where the desk reads pattern flags and open cases: each feature's own queries. */
export interface FlagAndCaseSources {
  /** patterns/: open flags the actor may see (the team only; none about a conflicted pupil). */
  patterns: { openFlags(actor: AccessActor): Promise<PatternFlag[]> };
  /** actions/: which records are closed now, and when open ones were last reopened. */
  caseStatus: {
    statusChangesOfSchool(
      scope: SchoolScope,
    ): Promise<{ closedIds: string[]; reopenedAt: Map<string, Date> }>;
  };
  /** incidents/: records oldest first and their count, leaving out closed and conflicted ones. */
  openRecords: {
    oldestIn(
      scope: SchoolScope,
      leaveOut: RecordsLeftOut,
      limit: number,
    ): Promise<{
      oldest: { incidentId: string; reference: string; pupilId: string; recordedAt: Date }[];
      count: number;
    }>;
  };
  /**
   * summaries/: open cases kept by events (oldest first, and how many, leaving out cases about
   * these pupils); undefined until built, and then the two reads above are used instead.
   */
  openCaseSummary?: {
    oldestOpen(
      scope: SchoolScope,
      leaveOutPupils: readonly string[],
      limit: number,
    ): Promise<
      | {
          oldest: {
            incidentId: string;
            reference: string;
            pupilId: string;
            openSince: Date;
            reopened: boolean;
          }[];
          count: number;
        }
      | undefined
    >;
  };
}

/**
 * The team's pattern flags (until reviewed) and open cases by age, oldest first: a case is a
 * record not closed, open since it was recorded or last reopened. Records about a pupil the
 * person has a conflict with are neither listed nor counted.
 */
export async function flagsAndCases(
  sources: FlagAndCaseSources,
  actor: AccessActor,
  now: Date,
  namesOf: (pupilIds: string[]) => Promise<Map<string, string>>,
): Promise<{
  patternFlags: PatternFlagLine[];
  openCases: OpenCaseLine[];
  openCaseCount: number;
}> {
  const [flags, summary] = await Promise.all([
    sources.patterns.openFlags(actor),
    sources.openCaseSummary?.oldestOpen(actor, actor.conflictPupilIds, MOST_LINES),
  ]);
  const { opened, openCaseCount } = summary
    ? { opened: summary.oldest, openCaseCount: summary.count }
    : await openCasesFromRecords(sources, actor);
  const names = await namesOf([...flags.map((f) => f.pupilId), ...opened.map((r) => r.pupilId)]);
  const nameOf = (pupilId: string) => names.get(pupilId) ?? 'A pupil no longer on roll';
  return {
    patternFlags: flags.map((f) => ({
      flagId: f.flagId,
      pupilName: nameOf(f.pupilId),
      ruleText: f.ruleText,
      raisedAt: f.raisedAt,
      records: f.incidentIds.map((incidentId, i) => ({
        incidentId,
        reference: f.references[i] ?? '',
      })),
    })),
    openCases: opened.map((r) => ({
      incidentId: r.incidentId,
      reference: r.reference,
      pupilName: nameOf(r.pupilId),
      openSince: r.openSince,
      daysOpen: Math.floor((now.getTime() - r.openSince.getTime()) / DAY_MS),
      reopened: r.reopened,
    })),
    openCaseCount,
  };
}

/**
 * Open cases from the records themselves: every status change of the school and every record's
 * id and time, each load (what the desk did before the summaries; used until they are built).
 */
async function openCasesFromRecords(sources: FlagAndCaseSources, actor: AccessActor) {
  const changes = await sources.caseStatus.statusChangesOfSchool(actor);
  const leaveOut = { incidentIds: changes.closedIds, pupilIds: actor.conflictPupilIds };
  // Reopened cases count from their reopening, so read a few more than shown and sort again.
  const { oldest, count: openCaseCount } = await sources.openRecords.oldestIn(
    actor,
    leaveOut,
    MOST_LINES + changes.reopenedAt.size,
  );
  const opened = oldest
    .map((r) => ({
      ...r,
      openSince: changes.reopenedAt.get(r.incidentId) ?? r.recordedAt,
      reopened: changes.reopenedAt.has(r.incidentId),
    }))
    .sort((a, b) => a.openSince.getTime() - b.openSince.getTime())
    .slice(0, MOST_LINES);
  return { opened, openCaseCount };
}
