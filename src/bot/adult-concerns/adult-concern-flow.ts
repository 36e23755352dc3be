import { randomUUID } from 'node:crypto';
import type { AdultConcernFormService, AdultConcernService } from '../../adult-concerns';
import type { Clock } from '../../shared/clock';
import { formatSchoolTime, toSchoolDateTime } from '../../shared/school-time';
import type { Actor, StaffMember } from '../../staff';
import { renderCard, type AdaptiveCardJson } from '../render-card';
import type { FlowResult } from '../incident-form/report-flow';
import {
  renderAdultConcernAlert,
  renderAdultConcernForm,
  renderAdultConcernRecorded,
} from './adult-concern-cards';
import type { AdultConcernFormValues, AdultConcernFieldErrors } from '../../adult-concerns';

const STORE_DOWN =
  "We couldn't reach the records store just now. Everything you typed is still in this card: please press Submit again in a minute. If it keeps failing, tell the head teacher in person.";

/**
 * `concern about an adult` and its cards. Rules live in adult-concerns/; this turns its outcomes
 * into cards, and once a concern is recorded or saved the chat keeps a card without its details.
 */
export class AdultConcernFlow {
  constructor(
    private readonly forms: Pick<
      AdultConcernFormService,
      'submit' | 'saveDraft' | 'latestDraft' | 'findDraft' | 'discardDraft'
    >,
    private readonly concerns: Pick<AdultConcernService, 'acknowledge'>,
    private readonly staff: {
      listActiveStaff(actor: Actor, limit?: number): Promise<StaffMember[]>;
    },
    private readonly clock: Clock,
  ) {}

  /** The command: an unfinished draft is offered first, else a new form. */
  async start(actor: Actor): Promise<AdaptiveCardJson> {
    const draft = await this.forms.latestDraft(actor);
    if (draft) {
      return renderCard('adult-concerns/adult-concern-resume', {
        draftId: draft.draftId,
        savedAt: formatSchoolTime(draft.updatedAt),
      });
    }
    return this.newForm(actor);
  }

  async newForm(actor: Actor): Promise<AdaptiveCardJson> {
    const { date, time } = toSchoolDateTime(this.clock.now());
    return this.form(actor, randomUUID(), { happenedDate: date, happenedTime: time }, {});
  }

  async discardAndStart(actor: Actor, draftId: string): Promise<AdaptiveCardJson> {
    await this.forms.discardDraft(actor, draftId);
    return this.newForm(actor);
  }

  async resume(actor: Actor, draftId: string): Promise<AdaptiveCardJson> {
    const draft = await this.forms.findDraft(actor, draftId);
    if (!draft || draft.status !== 'open') return this.newForm(actor);
    return this.form(actor, draftId, draft.values, {}, 'Your draft, as you left it.');
  }

  async submit(actor: Actor, draftId: string, raw: unknown): Promise<FlowResult> {
    const outcome = await this.forms.submit(actor, draftId, raw);
    switch (outcome.kind) {
      case 'recorded':
        return { card: renderAdultConcernRecorded(outcome.concern), replaceMessage: true };
      case 'invalid':
        return {
          card: await this.form(
            actor,
            draftId,
            outcome.values,
            outcome.errors,
            'Some answers need another look (see below). Nothing has been recorded yet.',
          ),
          replaceMessage: false,
        };
      case 'store-unavailable':
        return {
          card: await this.form(actor, draftId, outcome.values, {}, STORE_DOWN),
          replaceMessage: false,
        };
    }
  }

  async saveForLater(actor: Actor, draftId: string, raw: unknown): Promise<FlowResult> {
    const { values, saved } = await this.forms.saveDraft(actor, draftId, raw);
    if (!saved) {
      return {
        card: await this.form(actor, draftId, values, {}, STORE_DOWN),
        replaceMessage: false,
      };
    }
    const card = renderCard('adult-concerns/adult-concern-draft-saved', {
      draftId,
      message: `Saved at ${formatSchoolTime(this.clock.now())}. Type concern to carry on, or use the button below.`,
    });
    return { card, replaceMessage: true };
  }

  /** Acknowledge on the alert card: the card again, saying who acknowledged and when. */
  async acknowledge(actor: Actor, concernId: string): Promise<AdaptiveCardJson> {
    const { concern } = await this.concerns.acknowledge(actor, concernId);
    return renderAdultConcernAlert(
      {
        incidentId: concern.concernId,
        reason: 'case-manager',
        reference: concern.reference,
        recordedAt: concern.recordedAt,
      },
      {
        by: concern.acknowledgedBy ?? actor.displayName,
        at: concern.acknowledgedAt ?? this.clock.now(),
        byMe: (concern.acknowledgedBy ?? actor.displayName) === actor.displayName,
      },
    );
  }

  private async form(
    actor: Actor,
    draftId: string,
    values: AdultConcernFormValues,
    errors: AdultConcernFieldErrors,
    banner = '',
  ): Promise<AdaptiveCardJson> {
    const staff = await this.staff.listActiveStaff(actor, 500);
    return renderAdultConcernForm({
      draftId,
      values,
      errors,
      banner,
      now: this.clock.now(),
      // Not the recorder: the form is for a concern about someone else.
      staff: staff.filter((m) => m.aadObjectId !== actor.aadObjectId),
    });
  }
}
