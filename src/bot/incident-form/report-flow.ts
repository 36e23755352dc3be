import { randomUUID } from 'node:crypto';
import { selectAlertRecipients } from '../../alerts';
import type {
  FieldErrors,
  Incident,
  IncidentFormService,
  IncidentFormValues,
} from '../../incidents';
import type { Pupil } from '../../pupils';
import type { Agency, Category } from '../../schools';
import type { Clock } from '../../shared/clock';
import type { SchoolScope } from '../../shared/school-scope';
import { formatSchoolTime, toSchoolDateTime } from '../../shared/school-time';
import type { Actor, StaffMember } from '../../staff';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import { renderIncidentForm } from './form-card';

/** The directory reads the form needs, as narrow interfaces. */
export interface ReportDirectory {
  pupils: {
    searchPupils(scope: SchoolScope, query: string, limit?: number): Promise<Pupil[]>;
    findPupils(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]>;
  };
  staff: {
    listSafeguardingTeam(scope: SchoolScope): Promise<StaffMember[]>;
    listActiveStaff(scope: SchoolScope, limit?: number): Promise<StaffMember[]>;
    findStaff(scope: SchoolScope, aadObjectIds: readonly string[]): Promise<StaffMember[]>;
  };
  lists: {
    listCategories(scope: SchoolScope): Promise<Category[]>;
    listAgencies(scope: SchoolScope): Promise<Agency[]>;
  };
}

/** The card to show, and whether it should also replace the form message in the transcript. */
export interface FlowResult {
  card: AdaptiveCardJson;
  /** True when the card holds no narrative and should overwrite what the chat keeps. */
  replaceMessage: boolean;
}

const SEARCH_LIMIT = 25;
const pupilFields = ['pupilId', 'linkedPupil1', 'linkedPupil2', 'linkedPupil3'] as const;

/**
 * The report conversation: open the form (or offer a draft), search pupils, submit, save for later.
 * Rules live in IncidentFormService; this only turns its outcomes into cards.
 */
export class ReportFlow {
  constructor(
    private readonly forms: Pick<
      IncidentFormService,
      'submit' | 'saveDraft' | 'latestDraft' | 'findDraft' | 'discardDraft'
    >,
    private readonly directory: ReportDirectory,
    private readonly clock: Clock,
  ) {}

  /** `report [pupil name]`: offers an unfinished draft first, else a new form. */
  async start(actor: Actor, pupilQuery: string): Promise<AdaptiveCardJson> {
    const draft = await this.forms.latestDraft(actor);
    if (draft) {
      return renderCard('incidents/resume-draft', {
        draftId: draft.draftId,
        savedAt: formatSchoolTime(draft.updatedAt),
        pupilQuery,
      });
    }
    return this.newForm(actor, pupilQuery);
  }

  /** A blank form (the pupil preselected when the name matches exactly one). */
  async newForm(actor: Actor, pupilQuery: string): Promise<AdaptiveCardJson> {
    const now = this.clock.now();
    const { date, time } = toSchoolDateTime(now);
    const matches = pupilQuery
      ? await this.directory.pupils.searchPupils(actor, pupilQuery, SEARCH_LIMIT)
      : [];
    const values: IncidentFormValues = {
      happenedDate: date,
      happenedTime: time,
      transcribedFromPaper: 'false',
      pupilSearch: pupilQuery,
      pupilId: matches.length === 1 ? matches[0]!.pupilId : '',
    };
    return this.form(
      actor,
      randomUUID(),
      values,
      {},
      {
        searchNote: pupilQuery ? searchNote(matches.length) : '',
        pupils: matches,
      },
    );
  }

  /** Starts afresh after setting the old draft aside. */
  async discardAndStart(
    actor: Actor,
    draftId: string,
    pupilQuery: string,
  ): Promise<AdaptiveCardJson> {
    await this.forms.discardDraft(actor, draftId);
    return this.newForm(actor, pupilQuery);
  }

  /** Reopens one of the person's own drafts with everything they typed. */
  async resume(actor: Actor, draftId: string): Promise<AdaptiveCardJson> {
    const draft = await this.forms.findDraft(actor, draftId);
    if (!draft || draft.status !== 'open') return this.newForm(actor, '');
    return this.form(actor, draftId, draft.values, {}, { banner: 'Your draft, as you left it.' });
  }

  /** The Search button: keeps what was typed, lists matching pupils. */
  async searchPupils(actor: Actor, draftId: string, raw: unknown): Promise<AdaptiveCardJson> {
    const { values, saved } = await this.forms.saveDraft(actor, draftId, raw);
    const query = (values.pupilSearch ?? '').trim();
    const matches = query
      ? await this.directory.pupils.searchPupils(actor, query, SEARCH_LIMIT)
      : [];
    return this.form(
      actor,
      draftId,
      values,
      {},
      {
        searchNote: query ? searchNote(matches.length) : 'Type part of a name to search.',
        pupils: matches,
        banner: saved ? '' : storeUnavailableBanner,
      },
    );
  }

  /** Submit: a record and a confirmation without narrative, or the form again with every problem. */
  async submit(actor: Actor, draftId: string, raw: unknown): Promise<FlowResult> {
    const outcome = await this.forms.submit(actor, draftId, raw);
    switch (outcome.kind) {
      case 'recorded':
        return { card: await this.confirmation(actor, outcome.incident), replaceMessage: true };
      case 'invalid':
        return {
          card: await this.form(actor, draftId, outcome.values, outcome.errors, {
            banner: 'Some answers need another look (see below). Nothing has been recorded yet.',
          }),
          replaceMessage: false,
        };
      case 'store-unavailable':
        return {
          card: await this.form(
            actor,
            draftId,
            outcome.values,
            {},
            { banner: storeUnavailableBanner },
          ),
          replaceMessage: false,
        };
    }
  }

  /** Save and finish later: the chat keeps a card with no narrative. */
  async saveForLater(actor: Actor, draftId: string, raw: unknown): Promise<FlowResult> {
    const { values, saved } = await this.forms.saveDraft(actor, draftId, raw);
    if (!saved) {
      const card = await this.form(actor, draftId, values, {}, { banner: storeUnavailableBanner });
      return { card, replaceMessage: false };
    }
    const card = renderCard('incidents/draft-saved', {
      draftId,
      message: `Saved at ${formatSchoolTime(this.clock.now())}. Type report to carry on, or use the button below.`,
    });
    return { card, replaceMessage: true };
  }

  private async form(
    actor: Actor,
    draftId: string,
    values: IncidentFormValues,
    errors: FieldErrors,
    extra: { banner?: string; searchNote?: string; pupils?: readonly Pupil[] },
  ): Promise<AdaptiveCardJson> {
    // Chosen pupils stay in the list whatever the latest search found, so no choice is lost.
    const chosenIds = pupilFields.map((f) => values[f]?.trim() ?? '').filter(Boolean);
    const [chosen, categories, agencies, team, staff] = await Promise.all([
      chosenIds.length ? this.directory.pupils.findPupils(actor, chosenIds) : Promise.resolve([]),
      this.directory.lists.listCategories(actor),
      this.directory.lists.listAgencies(actor),
      this.directory.staff.listSafeguardingTeam(actor),
      this.directory.staff.listActiveStaff(actor),
    ]);
    const pupils = new Map<string, Pupil>();
    for (const p of [...chosen, ...(extra.pupils ?? [])]) {
      if (!actor.conflictPupilIds.includes(p.pupilId)) pupils.set(p.pupilId, p);
    }
    const teamIds = new Set(team.map((m) => m.aadObjectId));
    return renderIncidentForm({
      draftId,
      values,
      errors,
      banner: extra.banner,
      searchNote: extra.searchNote,
      now: this.clock.now(),
      options: {
        pupils: [...pupils.values()],
        categories,
        agencies,
        team: team.filter((m) => m.aadObjectId !== actor.aadObjectId),
        alertableStaff: staff.filter(
          (m) => !teamIds.has(m.aadObjectId) && m.aadObjectId !== actor.aadObjectId,
        ),
      },
    });
  }

  private async confirmation(actor: Actor, incident: Incident): Promise<AdaptiveCardJson> {
    const [categories, team, chosen] = await Promise.all([
      this.directory.lists.listCategories(actor),
      this.directory.staff.listSafeguardingTeam(actor),
      this.directory.staff.findStaff(actor, incident.alertStaffIds),
    ]);
    const names = new Map(categories.map((c) => [c.categoryId, c.name]));
    const recipients = selectAlertRecipients({
      team,
      chosen,
      recorderAadObjectId: incident.recordedBy.aadObjectId,
      pupilIds: [incident.pupilId, ...incident.linkedPupils.map((p) => p.pupilId)],
      teamOnly: incident.categoryIds.some(
        (id) => categories.find((c) => c.categoryId === id)?.teamOnly,
      ),
    });
    const teamNames = recipients
      .filter((r) => r.reason === 'safeguarding-team')
      .map((r) => inertText(r.member.displayName));
    const chosenNames = recipients
      .filter((r) => r.reason === 'chosen-by-recorder')
      .map((r) => inertText(r.member.displayName));
    const alerted = [
      teamNames.length ? `${teamNames.join(', ')} (safeguarding team)` : 'the safeguarding team',
      ...chosenNames,
    ].join('; ');
    // Reference, categories and staff names only: no pupil name and no narrative in the chat.
    return renderCard('incidents/incident-recorded', {
      reference: incident.reference,
      recordedAt: formatSchoolTime(incident.recordedAt),
      categories: incident.categoryIds.map((id) => inertText(names.get(id) ?? id)).join(', '),
      alerted,
    });
  }
}

const storeUnavailableBanner =
  "We couldn't reach the records store just now. Everything you typed is still in this card: please press Submit again in a minute. If it keeps failing, tell the DSL in person.";

function searchNote(count: number): string {
  if (count === 0) return 'No pupils match that name. Try part of the first or last name.';
  if (count === 1) return '1 pupil matches: chosen above.';
  return `${count} pupils match: choose one in the list above.`;
}
