import { Badge, Button, Field, Input, Select, Spinner } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../api-client';
import {
  EXEMPTION_OPTIONS,
  PROPOSAL_KIND_LABELS,
  type SarProposal,
  type SarReview,
} from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { SarAddRedaction, type AddedRedaction } from './SarAddRedaction';
import { SarMarked as Marked } from './SarMarked';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

type Decision = SarReview['decisions'][number];
/** What the select says: undecided, disclose, or redact under an exemption. */
type Choice = 'undecided' | 'disclose' | `redact:${Decision['exemption'] & string}`;

const choiceOf = (d: Decision | undefined): Choice =>
  !d ? 'undecided' : d.decision === 'disclose' ? 'disclose' : `redact:${d.exemption ?? 'other'}`;

/**
 * The SAR bundle's review: every proposed redaction shown in its paragraph, for the DSL to redact
 * (with an exemption) or disclose. Each decision is saved as it is made (a draft the server keeps),
 * so closing the tab loses nothing; the response PDF is offered once nothing stops it.
 */
export function SarReviewView(props: { api: ApiClient; sarId: string; onBack: () => void }) {
  const { api, sarId } = props;
  const loaded = useLoad(
    () => api.get<SarReview>(`sars/${encodeURIComponent(sarId)}/review`),
    sarId,
  );
  const challenge = stepUpChallenge(loaded.error);
  const review = loaded.data;
  const [decisions, setDecisions] = useState(new Map<string, Decision>());
  const [saved, setSaved] = useState<{ at: string; by: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (!review) return;
    setDecisions(new Map(review.decisions.map((d) => [d.proposalId, d])));
    setSaved(review.savedAt ? { at: review.savedAt, by: review.savedByName ?? '' } : null);
  }, [review]);

  const numbers = useMemo(
    () => new Map(review?.proposals.map((p, i) => [p.proposalId, i + 1]) ?? []),
    [review],
  );
  const textOf = useMemo(() => {
    const paragraphs = new Map(
      review?.sections.flatMap((s) => s.paragraphs.map((p) => [p.paragraphId, p.text])) ?? [],
    );
    return (p: SarProposal) => (paragraphs.get(p.paragraphId) ?? '').slice(p.start, p.end);
  }, [review]);

  const save = async (changes: { proposal: SarProposal; choice: Choice; otherText?: string }[]) => {
    const body = changes.map(({ proposal, choice, otherText }) =>
      choice.startsWith('redact:')
        ? {
            proposalId: proposal.proposalId,
            decision: 'redact',
            exemption: choice.slice(7),
            ...(choice === 'redact:other' ? { otherText: otherText ?? '' } : {}),
          }
        : { proposalId: proposal.proposalId, decision: choice },
    );
    const next = new Map(decisions);
    for (const b of body) {
      if (b.decision === 'undecided') next.delete(b.proposalId);
      else next.set(b.proposalId, b as Decision);
    }
    setDecisions(next);
    setSaving(true);
    setError(undefined);
    try {
      const answer = await api.put<{ savedAt: string }>(
        `sars/${encodeURIComponent(sarId)}/review`,
        {
          decisions: body,
        },
      );
      setSaved({ at: answer.savedAt, by: 'you' });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setSaving(false);
    }
  };

  // Words the app did not propose: saved, then the review is read again with them in it.
  const addRedactions = async (add: AddedRedaction[]) => {
    setError(undefined);
    try {
      await api.put(`sars/${encodeURIComponent(sarId)}/review`, { decisions: [], add });
      loaded.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const download = async () => {
    setError(undefined);
    try {
      const answer = await api.get<{ fileName: string; pdfBase64: string }>(
        `sars/${encodeURIComponent(sarId)}/response`,
      );
      const bytes = Uint8Array.from(atob(answer.pdfBase64), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = answer.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(messageOf(e));
    }
  };

  const undecided = review ? review.proposals.length - decisions.size : 0;
  const otherBlockers =
    review?.request.releaseBlockers.filter((b) => !b.startsWith('Decide the')) ?? [];
  return (
    <section aria-labelledby="sar-review-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="sar-review-heading">
        Review the bundle
        {review ? `: ${review.request.reference}, ${review.request.pupilName}` : ''}
      </h1>
      {loaded.loading && <Spinner size="tiny" label="Reading everything held about the child…" />}
      {challenge && <StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />}
      {loaded.error !== undefined && !challenge && <p role="alert">{messageOf(loaded.error)}</p>}
      {review && (
        <>
          <p role="status">
            {review.proposals.length} proposed redactions; {undecided} undecided.{' '}
            {saving
              ? 'Saving…'
              : saved
                ? `Saved ${formatDateTime(saved.at)} by ${saved.by}.`
                : 'Nothing saved yet.'}
          </p>
          {error && <p role="alert">{error}</p>}
          {review.sections.map((section) => (
            <section key={section.sectionId} aria-label={section.heading}>
              <h2 style={{ fontSize: 16 }}>{section.heading}</h2>
              {section.paragraphs.map((paragraph) => {
                const here = review.proposals.filter(
                  (p) => p.paragraphId === paragraph.paragraphId,
                );
                return (
                  <div key={paragraph.paragraphId} style={{ marginBottom: 12 }}>
                    <strong>{paragraph.label}</strong>
                    <p style={{ whiteSpace: 'pre-wrap', margin: '2px 0' }}>
                      <Marked
                        text={paragraph.text}
                        proposals={here}
                        numbers={numbers}
                        decisions={decisions}
                      />
                    </p>
                    {here.length > 0 && (
                      <ul
                        aria-label={`Proposed redactions in ${paragraph.label}`}
                        style={{ margin: 0 }}
                      >
                        {here.map((p) => (
                          <ProposalLine
                            key={p.proposalId}
                            number={numbers.get(p.proposalId) ?? 0}
                            text={textOf(p)}
                            proposal={p}
                            decision={decisions.get(p.proposalId)}
                            sameText={review.proposals.filter(
                              (q) => textOf(q).toLowerCase() === textOf(p).toLowerCase(),
                            )}
                            onChoose={(choice, otherText, all) =>
                              void save(
                                (all ?? [p]).map((proposal) => ({ proposal, choice, otherText })),
                              )
                            }
                          />
                        ))}
                      </ul>
                    )}
                    <SarAddRedaction
                      paragraphId={paragraph.paragraphId}
                      paragraphText={paragraph.text}
                      label={paragraph.label}
                      onAdd={addRedactions}
                    />
                  </div>
                );
              })}
            </section>
          ))}
          <h2 style={{ fontSize: 16 }}>Response</h2>
          {[
            ...otherBlockers,
            ...(undecided > 0 ? [`Decide the ${undecided} proposed redactions still open.`] : []),
          ].map((b) => (
            <p key={b}>{b}</p>
          ))}
          <Button
            appearance="primary"
            disabled={undecided > 0 || otherBlockers.length > 0}
            onClick={() => void download()}
          >
            Download the response PDF
          </Button>
        </>
      )}
    </section>
  );
}

function ProposalLine(props: {
  number: number;
  text: string;
  proposal: SarProposal;
  decision: Decision | undefined;
  sameText: readonly SarProposal[];
  onChoose: (choice: Choice, otherText?: string, all?: readonly SarProposal[]) => void;
}) {
  const [choice, setChoice] = useState<Choice>(choiceOf(props.decision));
  const [otherText, setOtherText] = useState(props.decision?.otherText ?? '');
  useEffect(() => setChoice(choiceOf(props.decision)), [props.decision]);
  const label = `Decision on ${props.number}: ${props.text}`;
  return (
    <li
      data-testid="proposal-line"
      style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'end' }}
    >
      <span>
        <sup>{props.number}</sup> “{props.text}”{' '}
        <Badge appearance="tint">{PROPOSAL_KIND_LABELS[props.proposal.kind]}</Badge>
      </span>
      <Select
        aria-label={label}
        value={choice}
        onChange={(_, d) => {
          const next = d.value as Choice;
          setChoice(next);
          if (next !== 'redact:other') props.onChoose(next);
        }}
      >
        <option value="undecided">Undecided</option>
        <option value="disclose">Disclose</option>
        {EXEMPTION_OPTIONS.map(([value, words]) => (
          <option key={value} value={`redact:${value}`}>
            Redact: {words}
          </option>
        ))}
      </Select>
      {choice === 'redact:other' && (
        <Field label="Which exemption">
          <Input
            value={otherText}
            onChange={(_, d) => setOtherText(d.value)}
            onBlur={() => otherText.trim() && props.onChoose('redact:other', otherText.trim())}
          />
        </Field>
      )}
      {props.sameText.length > 1 && choice !== 'undecided' && (
        <Button
          size="small"
          onClick={() => props.onChoose(choice, otherText.trim(), props.sameText)}
        >
          Same for all {props.sameText.length}
        </Button>
      )}
    </li>
  );
}
