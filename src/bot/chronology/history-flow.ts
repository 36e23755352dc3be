import { tabDeepLink } from '../tab-links';
import type { AccessActor } from '../../access';
import type { ChronologyLine, ChronologyService } from '../../chronology';
import { pupilDisplayName, type Pupil } from '../../pupils';
import type { SchoolScope } from '../../shared/school-scope';
import { formatSchoolTime } from '../../shared/school-time';
import type { Actor } from '../../staff';
import { inertText } from '../inert-text';
import { renderCard, type AdaptiveCardJson } from '../render-card';

/** What `history` needs; narrow so tests can pass small fakes of our own. */
export interface HistoryDependencies {
  pupils: { searchPupils(scope: SchoolScope, query: string, limit?: number): Promise<Pupil[]> };
  chronology: Pick<ChronologyService, 'page'>;
  stepUp: { isSteppedUp(person: SchoolScope & { aadObjectId: string }): Promise<boolean> };
  /** The Teams app id, for deep links into the chronology tab. */
  teamsAppId: string;
}

const PAGE_SIZE = 10;
const MAX_CHOICES = 15;

/**
 * The `history <pupil name>` command: finds the pupil by a tolerant name search, then shows a
 * summary of their chronology (never narrative: chat keeps it) with a link into the tab.
 * Answers a card, or a plain message when there is nothing to show.
 */
export class HistoryFlow {
  constructor(private readonly deps: HistoryDependencies) {}

  /** What `history <query>` answers: a summary, a choice of pupils, or a message. */
  async start(actor: Actor, query: string, requestId?: string): Promise<AdaptiveCardJson | string> {
    const text = query.trim();
    if (!text)
      return 'Type history followed by a pupil\u2019s name, for example: history Jamie Smith';
    const found = await this.deps.pupils.searchPupils(actor, text, MAX_CHOICES + 1);
    if (found.length === 0) {
      return `No pupil called \u201C${inertText(text.slice(0, 60))}\u201D at your school. Check the spelling, or try part of the name.`;
    }
    const [only] = found;
    if (found.length === 1 && only) return this.show(actor, only.pupilId, undefined, requestId);
    return renderCard('chronology/choose-pupil', {
      note:
        found.length > MAX_CHOICES
          ? `More than ${MAX_CHOICES} pupils match. Choose one, or type more of the name:`
          : 'More than one pupil matches. Choose one:',
      pupils: found.slice(0, MAX_CHOICES).map((p) => ({
        title: `${pupilDisplayName(p)} (${p.yearGroup}${p.form ? `, ${p.form}` : ''})`,
        value: p.pupilId,
      })),
    });
  }

  /** One page of a pupil's history summary, from a cursor when "More" was pressed. */
  async show(
    actor: Actor,
    pupilId: string,
    cursor?: string,
    requestId?: string,
  ): Promise<AdaptiveCardJson> {
    const reader: AccessActor = { ...actor, steppedUp: await this.deps.stepUp.isSteppedUp(actor) };
    const view = await this.deps.chronology.page(
      reader,
      pupilId,
      { limit: PAGE_SIZE, filter: {}, ...(cursor ? { cursor } : {}) },
      requestId ? { requestId } : {},
    );
    const pupil = view.pupil;
    return renderCard('chronology/history', {
      title: inertText(`History: ${pupilDisplayName(pupil)} (${pupil.yearGroup})`),
      subtitle: cursor
        ? 'Continued, newest first. Only records you can see are listed.'
        : 'Newest first. Only records you can see are listed; open the chronology for the full view.',
      emptyNote:
        view.entries.length === 0
          ? cursor
            ? 'No further records you can see.'
            : 'No records you can see for this pupil.'
          : '',
      entries: view.entries.map(summaryOf),
      showMore: view.nextCursor !== null,
      pupilId: pupil.pupilId,
      cursor: view.nextCursor ?? '',
      openUrl: chronologyDeepLink(this.deps.teamsAppId, pupil.pupilId),
    });
  }
}

/** Date, category, reference, status, recorder and the pupil's part: never what happened. */
function summaryOf(entry: ChronologyLine): { heading: string; detail: string } {
  return {
    heading: inertText(
      `${formatSchoolTime(entry.happenedAt)} \u00B7 ${entry.categoryNames.join(', ')}`,
    ),
    detail: inertText(
      [
        // Another school's record says where it came from (its reference is theirs).
        entry.type === 'transferred-in' ? entry.title : entry.reference,
        entry.status,
        entry.amended ? 'amended' : undefined,
        `recorded by ${entry.recordedByName}`,
        entry.pupilRole,
      ]
        .filter(Boolean)
        .join(' \u00B7 '),
    ),
  };
}

/** A Teams deep link to the chronology tab, opened at this pupil. */
function chronologyDeepLink(teamsAppId: string, pupilId: string): string {
  return tabDeepLink(teamsAppId, `pupil:${pupilId}`);
}
