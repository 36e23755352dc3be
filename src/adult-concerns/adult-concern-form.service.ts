import type { Clock } from '../shared/clock';
import { isStoreUnavailableError } from '../shared/errors';
import type { Actor } from '../staff';
import type {
  AdultConcernDraft,
  AdultConcernDraftRepository,
} from './adult-concern-draft.repository';
import { AdultConcernValidationError } from './adult-concern.errors';
import {
  parseAdultConcernForm,
  readAdultConcernValues,
  type AdultConcernFieldErrors,
  type AdultConcernFormValues,
} from './adult-concern.schemas';
import type { AdultConcernService } from './adult-concern.service';
import type { AdultConcernHeader } from './adult-concern.types';

type DraftStore = Pick<AdultConcernDraftRepository, 'saveValues' | 'close' | 'find' | 'latestOpen'>;

/** What happened to a submitted form; the edge renders each case. */
export type AdultConcernSubmitOutcome =
  | { kind: 'recorded'; concern: AdultConcernHeader; created: boolean }
  | { kind: 'invalid'; values: AdultConcernFormValues; errors: AdultConcernFieldErrors }
  | { kind: 'store-unavailable'; values: AdultConcernFormValues };

/**
 * The concern form's lifecycle, as the pupil form's (IncidentFormService): every attempt is saved
 * as a draft first, then validated, then recorded once per form. Never loses what was typed.
 */
export class AdultConcernFormService {
  constructor(
    private readonly concerns: Pick<AdultConcernService, 'record'>,
    private readonly drafts: DraftStore,
    private readonly clock: Clock,
  ) {}

  async submit(actor: Actor, draftId: string, raw: unknown): Promise<AdultConcernSubmitOutcome> {
    const { values } = readAdultConcernValues(raw);
    const previous = await this.guard(() => this.drafts.find(actor, draftId));
    const alreadyRecorded = previous.ok && previous.value?.status === 'submitted';
    if (!alreadyRecorded) {
      const saved = await this.guard(() =>
        this.drafts.saveValues(actor, draftId, values, this.clock.now()),
      );
      if (!saved.ok) return { kind: 'store-unavailable', values };
    }
    const parsed = parseAdultConcernForm(raw, this.clock.now());
    if (!parsed.ok) return { kind: 'invalid', values: parsed.values, errors: parsed.errors };
    try {
      const { concern, created } = await this.concerns.record(actor, parsed.input, draftId);
      await this.drafts
        .close(actor, draftId, 'submitted', concern.concernId)
        .catch(() => undefined);
      return { kind: 'recorded', concern, created };
    } catch (error) {
      if (error instanceof AdultConcernValidationError) {
        return { kind: 'invalid', values, errors: error.fieldErrors };
      }
      if (isStoreUnavailableError(error)) return { kind: 'store-unavailable', values };
      throw error;
    }
  }

  /** Saves what was typed without submitting. */
  async saveDraft(
    actor: Actor,
    draftId: string,
    raw: unknown,
  ): Promise<{ values: AdultConcernFormValues; saved: boolean }> {
    const { values } = readAdultConcernValues(raw);
    const saved = await this.guard(() =>
      this.drafts.saveValues(actor, draftId, values, this.clock.now()),
    );
    return { values, saved: saved.ok };
  }

  latestDraft(actor: Actor): Promise<AdultConcernDraft | undefined> {
    return this.drafts.latestOpen(actor);
  }

  findDraft(actor: Actor, draftId: string): Promise<AdultConcernDraft | undefined> {
    return this.drafts.find(actor, draftId);
  }

  discardDraft(actor: Actor, draftId: string): Promise<void> {
    return this.drafts.close(actor, draftId, 'discarded');
  }

  private async guard<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      if (isStoreUnavailableError(error)) return { ok: false };
      throw error;
    }
  }
}
