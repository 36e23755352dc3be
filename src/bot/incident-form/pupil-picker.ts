import type { Pupil } from '../../pupils';
import type { Clock } from '../../shared/clock';
import type { Actor } from '../../staff';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import { pupilChoiceTitle } from './form-card';
import type { ReportDirectory } from './report-directory';

/** How many pupils a name search brings back. */
export const PUPIL_SEARCH_LIMIT = 25;
/** Buttons on the "Who is this about?" card: more than this and the person types more of the name. */
const PICKER_LIMIT = 10;
const RECENT_DAYS = 30;

/**
 * The "Who is this concern about?" card: matches for a name, or the person's recent pupils, never
 * one they have a declared conflict with. Apart from the form because it is a card of its own.
 */
export class PupilPicker {
  constructor(
    private readonly directory: Pick<ReportDirectory, 'pupils' | 'records'>,
    private readonly clock: Clock,
  ) {}

  /** Pupils matching a name that this person may record about (a declared conflict hides one). */
  async visibleMatches(actor: Actor, query: string): Promise<Pupil[]> {
    const matches = await this.directory.pupils.searchPupils(actor, query, PUPIL_SEARCH_LIMIT);
    return matches.filter((p) => !actor.conflictPupilIds.includes(p.pupilId));
  }

  /** The card: the name box, the matches or the person's recent pupils, and a note or problem. */
  async render(
    actor: Actor,
    draftId: string,
    query: string,
    matches: readonly Pupil[],
    problem = '',
  ): Promise<AdaptiveCardJson> {
    const shown = query ? matches : await this.recentPupils(actor);
    const results = shown
      .slice(0, PICKER_LIMIT)
      .map((p) => ({ title: pupilChoiceTitle(p), pupilId: p.pupilId }));
    return renderCard('incidents/find-pupil', {
      draftId,
      query,
      note: problem || pickerNote(query, matches.length),
      resultsHeading: query
        ? `Pupils matching "${inertText(query)}"`
        : 'Pupils you recorded concerns about recently',
      results,
    });
  }

  /** The pupils of this person's own recent records, newest first, that they may still record about. */
  private async recentPupils(actor: Actor): Promise<Pupil[]> {
    const since = new Date(this.clock.now().getTime() - RECENT_DAYS * 24 * 60 * 60 * 1000);
    const ids = await this.directory.records.recentPupilIdsRecordedBy(
      actor,
      actor.aadObjectId,
      since,
      PICKER_LIMIT,
    );
    const pupils = await this.directory.pupils.findPupils(actor, ids);
    return pupils.filter((p) => !actor.conflictPupilIds.includes(p.pupilId));
  }
}

function pickerNote(query: string, count: number): string {
  if (!query) return "Type part of the pupil's name and press Find pupil.";
  if (count === 0)
    return 'No pupils match that name. Try part of the first or last name, or the legal name.';
  if (count > PICKER_LIMIT) {
    return `More than ${PICKER_LIMIT} pupils match: the first ${PICKER_LIMIT} are below. Type more of the name to narrow it.`;
  }
  return count === 1
    ? '1 pupil matches. Choose to carry on:'
    : `${count} pupils match. Choose one:`;
}
