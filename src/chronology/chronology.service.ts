// A little over 300 lines: one service for a pupil's chronology (page, chart, export entries),
// because all three share the same access filtering and merging; the sources, cursor and record
// view are in files of their own.
import {
  decideRecordAccess,
  type AccessActor,
  type DenyReason,
  type RecordAccessFacts,
} from '../access';
import type { AuditTrail } from '../audit';
import type { Pupil } from '../pupils';
import type { Category } from '../schools';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { isSafeguardingTeam } from '../staff';
import { decodeCursor, encodeCursor } from './chronology-cursor';
import type { ChronologyEntry, ChronologyFilter, ChronologySource } from './chronology.types';
import { mergedEntries } from './merged-entries';
import { auditEvent } from '../audit';

/** Who else a record is known to involve beyond its own fields (alerts sent, invitations). */
export interface RecordRelations {
  relationsOf(
    scope: SchoolScope,
    incidentIds: readonly string[],
  ): Promise<Map<string, { alerted: readonly string[]; invited: readonly string[] }>>;
}

/** What the chronology needs from the rest of the app; narrow so tests pass small fakes. */
export interface ChronologyDependencies {
  sources: readonly ChronologySource[];
  pupils: { getPupil(scope: SchoolScope, pupilId: string): Promise<Pupil | undefined> };
  categories: { listCategories(scope: SchoolScope): Promise<Category[]> };
  relations: RecordRelations;
  audit: AuditTrail;
  clock: Clock;
  /**
   * What changed since a record was indexed: amended, closed, reviewed. Read for the page's records only,
   * so the index stays write-once and a page costs the same however many records there are.
   */
  recordState?: {
    stateOf(
      scope: SchoolScope,
      incidentIds: readonly string[],
    ): Promise<Map<string, { amended: boolean; status: 'open' | 'closed'; reviewed: boolean }>>;
  };
}

/** A chronology line as readers get it: no access facts, category names resolved. */
export type ChronologyLine = Omit<
  ChronologyEntry,
  'record' | 'categoryIds' | 'categoryNamesAsSent'
> & {
  readonly categoryIds: readonly string[];
  readonly categoryNames: readonly string[];
};

/** One page of a pupil's chronology. */
export interface ChronologyView {
  readonly pupil: Pupil;
  readonly entries: readonly ChronologyLine[];
  readonly nextCursor: string | null;
  /** The school's categories, for the filter (active or not: old records use old ones). */
  readonly categories: readonly { categoryId: string; name: string }[];
}

/** Who asked and how to tie the audit event to the request. */
export interface RequestContext {
  readonly requestId?: string;
}

const MAX_PAGE = 100;
const BATCH = 50;
/** An export or chart reads at most this many entries (a case conference, not a data dump). */
const MAX_ALL_ENTRIES = 2_000;

/**
 * A pupil's chronology: every source merged newest first, each entry shown only when the access
 * policy lets the reader `view` its record, paged by an opaque cursor. Hidden entries are skipped
 * before anything is counted, so pages, "more" and charts never reveal them.
 */
export class ChronologyService {
  constructor(private readonly deps: ChronologyDependencies) {}

  /** One page; `nextCursor` is null when no further entry is visible to this reader. */
  async page(
    actor: AccessActor,
    pupilId: string,
    request: { limit: number; cursor?: string; filter: ChronologyFilter },
    context: RequestContext = {},
  ): Promise<ChronologyView> {
    const pupil = await this.pupilFor(actor, pupilId, context);
    const after = request.cursor ? decodeCursor(request.cursor) : undefined;
    const limit = Math.min(Math.max(1, Math.floor(request.limit) || 25), MAX_PAGE);
    const visible = await this.visibleEntries(actor, pupilId, request.filter, after, limit + 1);
    const shown = visible.slice(0, limit);
    const last = shown.at(-1);
    const nextCursor = visible.length > limit && last ? encodeCursor(last) : null;
    await this.audit(actor, 'chronology.view', { kind: 'pupil', id: pupilId }, context);
    const categories = await this.deps.categories.listCategories(actor);
    return {
      pupil,
      entries: toLines(await this.withState(actor, shown), categories),
      nextCursor,
      categories: categories.map((c) => ({ categoryId: c.categoryId, name: c.name })),
    };
  }

  /** Visible incidents per category per month over the last 12 months (this month included). */
  async chart(
    actor: AccessActor,
    pupilId: string,
    context: RequestContext = {},
  ): Promise<{ months: string[]; series: { categoryName: string; counts: number[] }[] }> {
    await this.pupilFor(actor, pupilId, context);
    const now = this.deps.clock.now();
    const months = Array.from({ length: 12 }, (_, i) => {
      const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11 + i, 1));
      return d.toISOString().slice(0, 7);
    });
    const from = new Date(`${months[0]}-01T00:00:00.000Z`);
    const entries = await this.visibleEntries(
      actor,
      pupilId,
      { from, types: ['incident'] },
      undefined,
      MAX_ALL_ENTRIES,
    );
    const categories = new Map(
      (await this.deps.categories.listCategories(actor)).map((c) => [c.categoryId, c.name]),
    );
    const counts = new Map<string, number[]>();
    for (const entry of entries) {
      const month = months.indexOf(entry.happenedAt.toISOString().slice(0, 7));
      if (month < 0) continue;
      for (const id of entry.categoryIds) {
        const name = categories.get(id) ?? id;
        const row = counts.get(name) ?? months.map(() => 0);
        row[month] = (row[month] ?? 0) + 1;
        counts.set(name, row);
      }
    }
    await this.audit(actor, 'chronology.view', { kind: 'pupil', id: pupilId }, context);
    return {
      months,
      series: [...counts].map(([categoryName, c]) => ({ categoryName, counts: c })),
    };
  }

  /**
   * Every visible entry in the filter, for a case-conference export. Needs `export` on each of
   * them (the team, stepped up); one refused record refuses the export, so it is never partial.
   */
  async entriesForExport(
    actor: AccessActor,
    pupilId: string,
    filter: ChronologyFilter,
    context: RequestContext = {},
  ): Promise<{ pupil: Pupil; entries: ChronologyLine[] }> {
    const pupil = await this.pupilFor(actor, pupilId, context);
    // Refused up front when no record could pass (the policy's team-only and step-up rules), so
    // an empty filter cannot be used to probe; each record is still asked below.
    if (!isSafeguardingTeam(actor.roles)) {
      await this.deny(actor, { kind: 'pupil', id: pupilId }, 'team-only-operation', context);
    }
    if (!actor.steppedUp) {
      await this.deny(actor, { kind: 'pupil', id: pupilId }, 'step-up-required', context);
    }
    const entries = await this.visibleEntries(actor, pupilId, filter, undefined, MAX_ALL_ENTRIES);
    const categories = await this.deps.categories.listCategories(actor);
    const facts = await this.factsFor(actor, entries);
    for (const entry of entries) {
      const decision = decideRecordAccess(actor, facts(entry), 'export');
      if (!decision.allowed) {
        await this.deny(
          actor,
          { kind: 'incident', id: entry.incidentId },
          decision.reason,
          context,
        );
      }
    }
    return { pupil, entries: toLines(await this.withState(actor, entries), categories) };
  }

  /** The entries with their records' current state (amended, open or closed). */
  private async withState(
    scope: SchoolScope,
    entries: readonly ChronologyEntry[],
  ): Promise<ChronologyEntry[]> {
    if (!this.deps.recordState || entries.length === 0) return [...entries];
    const state = await this.deps.recordState.stateOf(scope, [
      ...new Set(entries.map((e) => e.incidentId)),
    ]);
    return entries.map((entry) => {
      const now = state.get(entry.incidentId);
      if (!now) return entry;
      // Amended belongs to the record's own line; every line of the record shares its status.
      const amended = entry.type === 'incident' ? entry.amended || now.amended : entry.amended;
      // Reviewed, too, is the record's own line's: the team reviews a concern, not its actions.
      return {
        ...entry,
        amended,
        status: now.status,
        ...(entry.type === 'incident' ? { reviewed: now.reviewed } : {}),
      };
    });
  }

  /** Reads entries from a position until `wanted` visible ones are found or none are left. */
  private async visibleEntries(
    actor: AccessActor,
    pupilId: string,
    filter: ChronologyFilter,
    after: Parameters<typeof mergedEntries>[4],
    wanted: number,
  ): Promise<ChronologyEntry[]> {
    const found: ChronologyEntry[] = [];
    let pending: ChronologyEntry[] = [];
    const flush = async () => {
      const facts = await this.factsFor(actor, pending);
      for (const entry of pending) {
        if (found.length < wanted && decideRecordAccess(actor, facts(entry), 'view').allowed) {
          found.push(entry);
        }
      }
      pending = [];
    };
    const batch = Math.min(BATCH, wanted);
    for await (const entry of mergedEntries(
      this.deps.sources,
      actor,
      pupilId,
      filter,
      after,
      batch,
    )) {
      pending.push(entry);
      if (pending.length >= batch) await flush();
      if (found.length >= wanted) break;
    }
    if (found.length < wanted) await flush();
    return found;
  }

  /** Access facts for entries: their own fields, what else is known, the team-only categories. */
  private async factsFor(
    actor: AccessActor,
    entries: readonly ChronologyEntry[],
  ): Promise<(entry: ChronologyEntry) => RecordAccessFacts> {
    const categories = await this.deps.categories.listCategories(actor);
    const teamOnly = new Set(categories.filter((c) => c.teamOnly).map((c) => c.categoryId));
    // The team sees the whole school: who else was alerted cannot change their answer.
    const relations =
      isSafeguardingTeam(actor.roles) || entries.length === 0
        ? new Map<string, { alerted: readonly string[]; invited: readonly string[] }>()
        : await this.deps.relations.relationsOf(actor, [
            ...new Set(entries.map((e) => e.incidentId)),
          ]);
    return (entry) => {
      const known = relations.get(entry.incidentId);
      return {
        tenantId: entry.record.tenantId,
        schoolId: entry.record.schoolId,
        recordedByAadObjectId: entry.record.recordedByAadObjectId,
        pupilIds: entry.record.pupilIds,
        alertedAadObjectIds: [...entry.record.alertStaffIds, ...(known?.alerted ?? [])],
        invitedAadObjectIds: known?.invited ?? [],
        teamOnly: entry.record.categoryIds.some((id) => teamOnly.has(id)),
      };
    };
  }

  /** The pupil, within the reader's school; a conflict of interest refuses the whole pupil. */
  private async pupilFor(
    actor: AccessActor,
    pupilId: string,
    context: RequestContext,
  ): Promise<Pupil> {
    const pupil = await this.deps.pupils.getPupil(actor, pupilId);
    if (!pupil) throw new AppError('CHRONOLOGY.PUPIL_NOT_FOUND', 'no such pupil at this school');
    if (actor.conflictPupilIds.includes(pupilId)) {
      await this.deny(actor, { kind: 'pupil', id: pupilId }, 'conflict-of-interest', context);
    }
    return pupil;
  }

  private async deny(
    actor: AccessActor,
    target: { kind: 'pupil' | 'incident'; id: string },
    reason: DenyReason,
    context: RequestContext,
  ): Promise<never> {
    await this.audit(actor, 'access.denied', target, context, reason);
    throw accessError(reason);
  }

  private async audit(
    actor: AccessActor,
    action: 'chronology.view' | 'access.denied',
    target: { kind: 'pupil' | 'incident'; id: string },
    context: RequestContext,
    reason?: string,
  ): Promise<void> {
    await this.deps.audit.record(
      auditEvent(actor, action, target, { reason, requestId: context.requestId }),
    );
  }
}

/** The error a refusal becomes: step-up has its own code so the tab can challenge. */
export function accessError(reason: DenyReason): AppError {
  return reason === 'step-up-required'
    ? new AppError('ACCESS.STEP_UP_REQUIRED', 'a recent second factor is needed')
    : new AppError('ACCESS.DENIED', `access denied: ${reason}`);
}

function toLines(entries: readonly ChronologyEntry[], categories: Category[]): ChronologyLine[] {
  const names = new Map(categories.map((c) => [c.categoryId, c.name]));
  return entries.map(({ record: _record, categoryNamesAsSent, ...line }) => ({
    ...line,
    categoryNames: categoryNamesAsSent
      ? [...categoryNamesAsSent]
      : line.categoryIds.map((id) => names.get(id) ?? id),
  }));
}
