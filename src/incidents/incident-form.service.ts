import type { DomainEvents } from '../events';
import type { Actor } from '../staff';
import type { Clock } from '../shared/clock';
import { isStoreUnavailableError } from '../shared/errors';
import { IncidentValidationError } from './incident.errors';
import {
  parseIncidentForm,
  readFormValues,
  type FieldErrors,
  type IncidentFormValues,
} from './incident.schemas';
import type { IncidentService } from './incident.service';
import type { Incident } from './incident.types';
import type { IncidentDraft } from './incident-draft.types';

/** Draft storage the form flow needs. */
export interface DraftStore {
  saveValues(
    owner: Actor,
    draftId: string,
    values: IncidentFormValues,
    now: Date,
    known?: { exists: boolean },
  ): Promise<void>;
  close(
    owner: Actor,
    draftId: string,
    status: 'submitted' | 'discarded',
    incidentId?: string,
  ): Promise<void>;
  find(owner: Actor, draftId: string): Promise<IncidentDraft | undefined>;
  latestOpen(owner: Actor): Promise<IncidentDraft | undefined>;
}

/** What happened to a submitted form; the edge (bot or tab) renders each case. */
export type SubmitOutcome =
  | { kind: 'recorded'; incident: Incident; created: boolean }
  | { kind: 'invalid'; values: IncidentFormValues; errors: FieldErrors }
  | { kind: 'store-unavailable'; values: IncidentFormValues };

/**
 * The incident form's lifecycle, independent of Teams: every attempt is saved as a draft first,
 * then validated, then recorded once per form.
 */
export class IncidentFormService {
  constructor(
    private readonly incidents: Pick<IncidentService, 'recordIncident'>,
    private readonly drafts: DraftStore,
    private readonly clock: Clock,
    /**
     * Hears `incident.recorded` once a record is stored (alerts/ queues its alerts, the chronology
     * indexes it) and awaits its handlers. A handler's failure is not the submitter's problem: the
     * record exists, and the reconcilers mend what was missed.
     */
    private readonly events?: Pick<DomainEvents, 'publish'>,
  ) {}

  /** Saves what was typed and tries to record it. Never loses the values, whatever fails. */
  async submit(actor: Actor, draftId: string, raw: unknown): Promise<SubmitOutcome> {
    const { values } = readFormValues(raw);
    // A late retry of a form already recorded must not reopen its draft; the record is returned.
    const previous = await this.guard(() => this.drafts.find(actor, draftId));
    const alreadyRecorded = previous.ok && previous.value?.status === 'submitted';
    if (!alreadyRecorded) {
      const saved = await this.guard(() =>
        this.drafts.saveValues(actor, draftId, values, this.clock.now(), {
          exists: previous.ok && previous.value !== undefined,
        }),
      );
      if (!saved.ok) return { kind: 'store-unavailable', values };
    }

    const parsed = parseIncidentForm(raw, this.clock.now());
    if (!parsed.ok) return { kind: 'invalid', values: parsed.values, errors: parsed.errors };
    try {
      const { incident, created } = await this.incidents.recordIncident(
        actor,
        parsed.input,
        draftId,
      );
      await this.drafts
        .close(actor, draftId, 'submitted', incident.incidentId)
        .catch(() => undefined);
      // Also on a repeat submit: the handlers are idempotent and mend a crash between the two.
      await this.events
        ?.publish({
          type: 'incident.recorded',
          tenantId: incident.tenantId,
          schoolId: incident.schoolId,
          incidentId: incident.incidentId,
        })
        .catch(() => undefined);
      return { kind: 'recorded', incident, created };
    } catch (error) {
      if (error instanceof IncidentValidationError) {
        return { kind: 'invalid', values, errors: error.fieldErrors };
      }
      if (isStoreUnavailableError(error)) return { kind: 'store-unavailable', values };
      throw error;
    }
  }

  /** Saves what was typed without submitting (searching for a pupil, closing the card). */
  async saveDraft(
    actor: Actor,
    draftId: string,
    raw: unknown,
  ): Promise<{ values: IncidentFormValues; saved: boolean }> {
    const { values } = readFormValues(raw);
    const saved = await this.guard(() =>
      this.drafts.saveValues(actor, draftId, values, this.clock.now()),
    );
    return { values, saved: saved.ok };
  }

  /** The person's newest unfinished form, if any. */
  latestDraft(actor: Actor): Promise<IncidentDraft | undefined> {
    return this.drafts.latestOpen(actor);
  }

  /** One of the person's drafts (never someone else's: drafts are looked up by owner). */
  findDraft(actor: Actor, draftId: string): Promise<IncidentDraft | undefined> {
    return this.drafts.find(actor, draftId);
  }

  /** Sets a draft aside when the person starts afresh. */
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
