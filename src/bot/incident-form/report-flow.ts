import { randomUUID } from 'node:crypto';
import type { FieldErrors, IncidentFormService, IncidentFormValues } from '../../incidents';
import type { Pupil } from '../../pupils';
import type { Clock } from '../../shared/clock';
import { formatSchoolTime, toSchoolDateTime } from '../../shared/school-time';
import type { Actor } from '../../staff';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import { renderIncidentForm } from './form-card';
import { PUPIL_SEARCH_LIMIT, PupilPicker } from './pupil-picker';
import { renderRecorded } from './recorded-card';
import type { ReportDirectory } from './report-directory';

/** The card to show, and whether it should also replace the form message in the transcript. */
export interface FlowResult {
  card: AdaptiveCardJson;
  /** True when the card holds no narrative and should overwrite what the chat keeps. */
  replaceMessage: boolean;
}

const MAX_QUERY_LENGTH = 200;
const pupilFields = ['pupilId', 'linkedPupil1', 'linkedPupil2', 'linkedPupil3'] as const;

/**
 * The report conversation: open the form (or offer a draft), search pupils, submit, save for later.
 * Rules live in IncidentFormService; this only turns its outcomes into cards.
 */
export class ReportFlow {
  private readonly picker: PupilPicker;

  constructor(
    private readonly forms: Pick<
      IncidentFormService,
      'submit' | 'saveDraft' | 'latestDraft' | 'findDraft' | 'discardDraft'
    >,
    private readonly directory: ReportDirectory,
    private readonly clock: Clock,
  ) {
    this.picker = new PupilPicker(directory, clock);
  }

  /** `report [pupil name]`: offers an unfinished draft first, else a new report. */
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

  /**
   * A new report: straight to the form when the name matches exactly one pupil, otherwise
   * "Who is this concern about?" first. The pupil is chosen on a card of its own because Teams
   * checks a card's inputs before any button reaches the bot: a search button on the form itself
   * would be blocked by the form's other fields.
   */
  async newForm(actor: Actor, pupilQuery: string): Promise<AdaptiveCardJson> {
    const query = pupilQuery.trim();
    const draftId = randomUUID();
    const matches = query ? await this.picker.visibleMatches(actor, query) : [];
    if (matches.length === 1) {
      return this.form(actor, draftId, this.freshValues(query, matches[0]!.pupilId), {}, {});
    }
    return this.picker.render(actor, draftId, query, matches);
  }

  /** _Find pupil_ on the "Who is this about?" card: the matches, as buttons. */
  async findPupil(actor: Actor, draftId: string, raw: unknown): Promise<AdaptiveCardJson> {
    const typed = (raw as { pupilSearch?: unknown } | undefined)?.pupilSearch;
    const query = typeof typed === 'string' ? typed.trim().slice(0, MAX_QUERY_LENGTH) : '';
    const matches = query ? await this.picker.visibleMatches(actor, query) : [];
    return this.picker.render(actor, draftId, query, matches);
  }

  /**
   * A pupil's button on the "Who is this about?" card: the form with that pupil set. A card
   * pressed again after its report was recorded or set aside starts a new form rather than
   * reusing the old one's key.
   */
  async choosePupil(actor: Actor, draftId: string, pupilId: string): Promise<AdaptiveCardJson> {
    const [pupil] = await this.directory.pupils.findPupils(actor, [pupilId]);
    if (!pupil || actor.conflictPupilIds.includes(pupil.pupilId)) {
      return this.picker.render(
        actor,
        draftId,
        '',
        [],
        'That pupil cannot be chosen. Find the pupil by name.',
      );
    }
    const draft = await this.forms.findDraft(actor, draftId);
    if (draft && draft.status !== 'open') return this.choosePupil(actor, randomUUID(), pupilId);
    const values = draft
      ? { ...draft.values, pupilId: pupil.pupilId }
      : this.freshValues('', pupil.pupilId);
    return this.form(actor, draftId, values, {}, {});
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
      ? await this.directory.pupils.searchPupils(actor, query, PUPIL_SEARCH_LIMIT)
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
        return {
          card: await renderRecorded(this.directory, actor, outcome.incident),
          replaceMessage: true,
        };
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

  /** What a new form starts with: now as the time it happened, the pupil if known. */
  private freshValues(pupilSearch: string, pupilId: string): IncidentFormValues {
    const { date, time } = toSchoolDateTime(this.clock.now());
    return {
      happenedDate: date,
      happenedTime: time,
      transcribedFromPaper: 'false',
      pupilSearch,
      pupilId,
    };
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
}

const storeUnavailableBanner =
  "We couldn't reach the records store just now. Everything you typed is still in this card: please press Submit again in a minute. If it keeps failing, tell the DSL in person.";

function searchNote(count: number): string {
  if (count === 0) return 'No pupils match that name. Try part of the first or last name.';
  if (count === 1) return '1 pupil matches: chosen above.';
  return `${count} pupils match: choose one in the list above.`;
}
