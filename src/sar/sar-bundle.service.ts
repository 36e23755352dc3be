import type { AccessActor } from '../access';
import { auditEvent } from '../audit';
import type { Pupil } from '../pupils';
import { pupilDisplayName } from '../pupils';
import { AppError } from '../shared/errors';
import { formatSchoolTime } from '../shared/school-time';
import {
  EXEMPTION_LABELS,
  type BundleSection,
  type RedactionDecision,
  type RedactionProposal,
} from './redaction.types';
import { authorizeSar } from './sar-access';
import { manualProposalId } from './redaction-proposals';
import { SarBundleReader, type Context, type SarBundleSources } from './sar-bundle-reader';
import { renderSarPdf, type ScheduleLine } from './sar-pdf';
import { isOpen, releaseBlockers } from './sar-state';
import type { ReviewDraft } from './sar.repository';
import { redactionDecisionsSchema } from './sar.schemas';
import type { SubjectAccessRequest } from './sar.types';

export type { SarBundleSources } from './sar-bundle-reader';

/** The bundle as the review page shows it: the text, the proposals and the review so far. */
export interface SarReview {
  readonly request: SubjectAccessRequest;
  readonly pupilName: string;
  readonly sections: readonly BundleSection[];
  readonly proposals: readonly RedactionProposal[];
  readonly decisions: readonly RedactionDecision[];
  readonly savedAt: Date | null;
  readonly savedByName: string | null;
  readonly undecided: number;
  /** What still stops the final PDF, in words (decisions missing, proposals undecided). */
  readonly blockers: readonly string[];
}

const SAVE_ATTEMPTS = 5;

/**
 * The SAR bundle: everything held about the child, the redactions the app proposes, the DSL's
 * review (saved as it goes, each save a draft kept) and the final PDF with the accepted
 * redactions burned in. The team after step-up only; every read and save is audited.
 */
export class SarBundleService {
  private readonly reader: SarBundleReader;

  constructor(private readonly sources: SarBundleSources) {
    this.reader = new SarBundleReader(sources);
  }

  async review(actor: AccessActor, sarId: string, context: Context = {}): Promise<SarReview> {
    const request = await this.authorized(actor, sarId, 'sar-bundle', context);
    const bundle = await this.reader.read(actor, request, context);
    const { pupil, sections } = bundle;
    const draft = await this.sources.drafts.latestDraft(actor, sarId);
    const proposals = await this.reader.proposalsFor(actor, bundle, draft?.added ?? []);
    await this.audit(actor, 'sar.bundle-view', request, context);
    return this.reviewOf(request, pupil, sections, proposals, draft);
  }

  /**
   * Saves decisions on top of the latest draft (a new draft each time, so nothing is lost and a
   * slow save never erases a quicker one's decisions on other proposals).
   */
  async saveDecisions(actor: AccessActor, sarId: string, raw: unknown, context: Context = {}) {
    const parsed = redactionDecisionsSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('SAR.INVALID', parsed.error.issues[0]?.message ?? 'invalid decisions');
    }
    const request = await this.authorized(actor, sarId, 'sar-review', context);
    if (!isOpen(request)) throw new AppError('SAR.CLOSED', 'the request is closed');
    for (let attempt = 0; attempt < SAVE_ATTEMPTS; attempt += 1) {
      const latest = await this.sources.drafts.latestDraft(actor, sarId);
      const merged = new Map((latest?.decisions ?? []).map((d) => [d.proposalId, d]));
      const added = new Map((latest?.added ?? []).map((m) => [manualProposalId(m), m]));
      for (const a of parsed.data.add) {
        const { exemption, otherText, ...words } = a;
        const id = manualProposalId(words);
        added.set(id, words);
        merged.set(id, {
          proposalId: id,
          decision: 'redact',
          exemption,
          ...(exemption === 'other' ? { otherText: otherText ?? '' } : {}),
        });
      }
      for (const d of parsed.data.decisions) {
        // Undoing a hand-made redaction removes it; the app's proposals stay, undecided.
        if (d.decision === 'undecided') added.delete(d.proposalId);
        if (d.decision === 'undecided') merged.delete(d.proposalId);
        else if (d.decision === 'disclose')
          merged.set(d.proposalId, { proposalId: d.proposalId, decision: 'disclose' });
        else {
          merged.set(d.proposalId, {
            proposalId: d.proposalId,
            decision: 'redact',
            exemption: d.exemption!,
            ...(d.exemption === 'other' ? { otherText: d.otherText ?? '' } : {}),
          });
        }
      }
      const draft: ReviewDraft = {
        tenantId: actor.tenantId,
        schoolId: actor.schoolId,
        sarId,
        sequence: (latest?.sequence ?? 0) + 1,
        decisions: [...merged.values()],
        added: [...added.values()],
        by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        at: this.sources.clock.now(),
      };
      if (await this.sources.drafts.insertDraft(draft)) {
        await this.audit(actor, 'sar.review-save', request, context, `draft ${draft.sequence}`);
        return { draft: draft.sequence, savedAt: draft.at, decided: draft.decisions.length };
      }
    }
    throw new AppError('SAR.CONTENDED', 'the review kept changing meanwhile');
  }

  /**
   * The response as a PDF: only once the decisions a parent's request needs are recorded and
   * every proposal is decided; the accepted ones are burned in and listed in the schedule.
   */
  async finalPdf(actor: AccessActor, sarId: string, context: Context = {}) {
    const request = await this.authorized(actor, sarId, 'sar-release', context);
    const bundle = await this.reader.read(actor, request, context);
    const { pupil, sections } = bundle;
    const draft = await this.sources.drafts.latestDraft(actor, sarId);
    const proposals = await this.reader.proposalsFor(actor, bundle, draft?.added ?? []);
    const review = this.reviewOf(request, pupil, sections, proposals, draft);
    const decisionsMissing = releaseBlockers(request);
    if (decisionsMissing.length > 0) {
      throw new AppError('SAR.DECISIONS_REQUIRED', decisionsMissing.join(' '));
    }
    if (review.undecided > 0) {
      throw new AppError(
        'SAR.REVIEW_INCOMPLETE',
        `${review.undecided} proposed redactions are still undecided.`,
      );
    }
    const decisionOf = new Map(review.decisions.map((d) => [d.proposalId, d]));
    const where = new Map(
      sections.flatMap((s) =>
        s.paragraphs.map((p) => [p.paragraphId, `${s.heading}, ${p.label}`] as const),
      ),
    );
    const redactions: { paragraphId: string; start: number; end: number; number: number }[] = [];
    const schedule: ScheduleLine[] = [];
    for (const proposal of proposals) {
      const decision = decisionOf.get(proposal.proposalId);
      if (decision?.decision !== 'redact') continue;
      const number = redactions.length + 1;
      redactions.push({ ...proposal, number });
      schedule.push({
        number,
        where: where.get(proposal.paragraphId) ?? proposal.paragraphId,
        what: KIND_WORDS[proposal.kind],
        exemption:
          decision.exemption === 'other'
            ? `Other: ${decision.otherText ?? ''}`
            : EXEMPTION_LABELS[decision.exemption],
      });
    }
    const now = this.sources.clock.now();
    const pdf = await renderSarPdf({
      title: `Subject access response: ${pupilDisplayName(pupil)}`,
      reference: request.reference,
      preamble: [
        `Request ${request.reference}, received ${formatSchoolTime(request.receivedAt)}, due ${formatSchoolTime(request.dueAt)}.`,
        `Prepared ${formatSchoolTime(now)} by ${actor.displayName}. Information about other people has been withheld where shown by a numbered black box; the schedule at the end gives the exemption for each.`,
      ],
      sections,
      redactions,
      schedule,
    });
    await this.audit(
      actor,
      'sar.bundle-release',
      request,
      context,
      `${redactions.length} redactions`,
    );
    return { fileName: `${request.reference}.pdf`, pdf, redactions: redactions.length };
  }

  private async authorized(actor: AccessActor, sarId: string, operation: string, context: Context) {
    const request = await this.sources.requests.state(actor, sarId);
    await authorizeSar(
      this.sources.audit,
      actor,
      { pupilId: request.pupilId, operation, stepUp: true },
      context.requestId,
    );
    return request;
  }

  private reviewOf(
    request: SubjectAccessRequest,
    pupil: Pupil,
    sections: readonly BundleSection[],
    proposals: readonly RedactionProposal[],
    draft: ReviewDraft | undefined,
  ): SarReview {
    const ids = new Set(proposals.map((p) => p.proposalId));
    // Decisions on proposals no longer in the bundle (a record amended since) stay in the draft
    // but do not count; a new proposal starts undecided.
    const decisions = (draft?.decisions ?? []).filter((d) => ids.has(d.proposalId));
    const undecided = proposals.length - decisions.length;
    const blockers = [...releaseBlockers(request)];
    if (undecided > 0) blockers.push(`Decide the ${undecided} proposed redactions still open.`);
    return {
      request,
      pupilName: pupilDisplayName(pupil),
      sections,
      proposals,
      decisions,
      savedAt: draft?.at ?? null,
      savedByName: draft?.by.displayName ?? null,
      undecided,
      blockers,
    };
  }

  private async audit(
    actor: AccessActor,
    action: 'sar.bundle-view' | 'sar.review-save' | 'sar.bundle-release',
    request: SubjectAccessRequest,
    context: Context,
    what?: string,
  ): Promise<void> {
    await this.sources.audit.record(
      auditEvent(
        actor,
        action,
        { kind: 'pupil', id: request.pupilId },
        {
          reason: what ? `${request.reference} ${what}` : request.reference,
          requestId: context.requestId,
        },
      ),
    );
  }
}

/** What a redaction withheld, in the schedule's words. */
const KIND_WORDS: Record<RedactionProposal['kind'], string> = {
  pupil: 'another pupil’s name',
  'linked-pupil': 'the name of another pupil involved',
  staff: 'a member of staff’s name',
  adult: 'another adult’s name',
  agency: 'an agency’s name',
  email: 'an email address',
  phone: 'a telephone number',
  postcode: 'a postcode',
  manual: 'information withheld by the school',
};
