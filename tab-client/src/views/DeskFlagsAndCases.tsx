import { Badge, Button, Link } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { Desk } from '../api-types';
import { formatDate, formatDateTime, messageOf } from '../format';

type TeamDesk = Extract<Desk, { kind: 'team' }>;
type FlagLine = TeamDesk['patternFlags'][number];

/** One heading with its count, as the desk's other lists have. */
function Heading(props: { id: string; title: string; count: number }) {
  return (
    <h2 id={props.id} style={{ fontSize: 16, margin: '0 0 4px' }}>
      {props.title} <Badge appearance="tint">{props.count}</Badge>
    </h2>
  );
}

/** A flag: who, which rule, when, the records that made it (each opens), and "Flag reviewed". */
function Flag(props: {
  api: ApiClient;
  flag: FlagLine;
  onOpenRecord: (incidentId: string) => void;
  onReviewed: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { flag } = props;
  const review = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`pattern-flags/${encodeURIComponent(flag.flagId)}/review`, {});
      props.onReviewed();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li style={{ marginBottom: 4 }}>
      {flag.pupilName}: {flag.ruleText}; raised {formatDateTime(flag.raisedAt)}. Records:{' '}
      {flag.records.map((r, i) => (
        <span key={r.incidentId}>
          {i > 0 ? ', ' : ''}
          <Link as="button" onClick={() => props.onOpenRecord(r.incidentId)}>
            {r.reference}
          </Link>
        </span>
      ))}{' '}
      <Button
        size="small"
        disabled={busy}
        onClick={() => void review()}
        aria-label={`Flag reviewed: ${flag.pupilName}, ${flag.ruleText}`}
      >
        Flag reviewed
      </Button>
      {error && <span role="alert"> {error}</span>}
    </li>
  );
}

/**
 * The team's pattern flags (until someone marks one reviewed) and open cases by age, oldest
 * first. Marking a flag reviewed asks the desk again at once.
 */
export function DeskFlagsAndCases(props: {
  api: ApiClient;
  desk: TeamDesk;
  onOpenRecord: (incidentId: string) => void;
  onChanged: () => void;
}) {
  const { desk } = props;
  return (
    <>
      <section aria-labelledby="desk-pattern-flags" style={{ marginBottom: 16 }}>
        <Heading id="desk-pattern-flags" title="Pattern flags" count={desk.patternFlags.length} />
        {desk.patternFlags.length === 0 ? (
          <p style={{ margin: 0 }}>No pattern rule has fired that the team has not reviewed.</p>
        ) : (
          <ul aria-label="Pattern flags" style={{ margin: 0, paddingLeft: 20 }}>
            {desk.patternFlags.map((f) => (
              <Flag
                key={f.flagId}
                api={props.api}
                flag={f}
                onOpenRecord={props.onOpenRecord}
                onReviewed={props.onChanged}
              />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="desk-open-cases" style={{ marginBottom: 16 }}>
        <Heading id="desk-open-cases" title="Open cases by age" count={desk.openCaseCount} />
        {desk.openCases.length === 0 ? (
          <p style={{ margin: 0 }}>No case is open.</p>
        ) : (
          <ul aria-label="Open cases by age" style={{ margin: 0, paddingLeft: 20 }}>
            {desk.openCases.map((c) => (
              <li key={c.incidentId}>
                <Link as="button" onClick={() => props.onOpenRecord(c.incidentId)}>
                  {c.reference}
                </Link>{' '}
                {c.pupilName}: open {c.daysOpen} day{c.daysOpen === 1 ? '' : 's'}, since{' '}
                {formatDate(c.openSince)}
                {c.reopened ? ' (reopened)' : ''}
              </li>
            ))}
          </ul>
        )}
        {desk.openCaseCount > desk.openCases.length && (
          <p style={{ margin: 0 }}>
            The {desk.openCases.length} oldest of {desk.openCaseCount} open cases.
          </p>
        )}
      </section>
    </>
  );
}
