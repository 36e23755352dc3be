import type { SarProposal, SarReview } from '../api-types';

type Decision = SarReview['decisions'][number];

/** A paragraph with each proposal marked where it is: black when redacted, as the PDF will be. */
export function SarMarked(props: {
  text: string;
  proposals: readonly SarProposal[];
  numbers: Map<string, number>;
  decisions: Map<string, Decision>;
}) {
  const parts = [];
  let at = 0;
  for (const p of [...props.proposals].sort((a, b) => a.start - b.start)) {
    parts.push(props.text.slice(at, p.start));
    const decision = props.decisions.get(p.proposalId)?.decision;
    const style =
      decision === 'redact'
        ? { background: '#000', color: '#fff' }
        : decision === 'disclose'
          ? { background: 'transparent', textDecoration: 'underline dotted' }
          : { background: '#fde68a' };
    parts.push(
      <mark key={p.proposalId} style={style} data-testid="proposal-mark">
        {props.text.slice(p.start, p.end)}
        <sup>{props.numbers.get(p.proposalId)}</sup>
      </mark>,
    );
    at = p.end;
  }
  parts.push(props.text.slice(at));
  return <>{parts}</>;
}
