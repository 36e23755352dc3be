import { Badge, Button, Spinner } from '@fluentui/react-components';
import type { ApiClient } from '../api-client';
import type { AdultConcernLine, AdultConcernList } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';

/** The LADO clock of a line, in words. */
export function ladoText(line: AdultConcernLine): string {
  const { lado } = line;
  if (lado.state === 'not-applicable') return 'Low-level: no LADO clock';
  if (lado.state === 'referred') {
    return `Referred to the LADO ${formatDateTime(lado.referredAt ?? '')}${lado.late ? ' (late)' : ''}`;
  }
  const due = `LADO referral due ${formatDateTime(lado.dueAt ?? '')}`;
  return lado.state === 'overdue' ? `${due}: OVERDUE` : due;
}

/**
 * The case manager's list of concerns about adults: references, routes and clocks, no names (the
 * record opens after step-up), and the adults with several low-level concerns.
 */
export function AdultConcernsView(props: {
  api: ApiClient;
  onOpen: (concernId: string) => void;
  onBack: () => void;
}) {
  const loaded = useLoad(() => props.api.get<AdultConcernList>('adult-concerns'), 'adult-concerns');
  const list = loaded.data;
  return (
    <section aria-labelledby="adult-concerns-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="adult-concerns-heading">Concerns about adults</h1>
      <p>
        Kept apart from pupils’ records. Only you, as case manager, and anyone you invite see them.
      </p>
      {loaded.loading && <Spinner size="tiny" label="Loading…" />}
      {loaded.error !== undefined && <p role="alert">{messageOf(loaded.error)}</p>}
      {list && list.concerns.length === 0 && <p>There are no concerns for you to manage.</p>}
      {list && list.concerns.length > 0 && (
        <ul aria-label="Concerns" style={{ listStyle: 'none', padding: 0 }}>
          {list.concerns.map((c) => (
            <li key={c.concernId} style={{ marginBottom: 12 }}>
              <Button appearance="secondary" onClick={() => props.onOpen(c.concernId)}>
                {c.reference}
              </Button>{' '}
              <Badge appearance="tint">
                {c.route === 'allegation' ? 'Allegation' : 'Low-level'}
              </Badge>{' '}
              {!c.acknowledged && <Badge color="danger">Not yet acknowledged</Badge>}{' '}
              {c.outcome && <Badge appearance="outline">Outcome: {c.outcome}</Badge>}
              <div>
                Recorded {formatDateTime(c.recordedAt)} · {ladoText(c)}
              </div>
            </li>
          ))}
        </ul>
      )}
      {list && list.patterns.length > 0 && (
        <section aria-labelledby="patterns-heading">
          <h2 id="patterns-heading">Patterns: several low-level concerns about one adult</h2>
          <ul>
            {list.patterns.map((p) => (
              <li key={p.concernIds.join()}>{p.references.join(', ')}</li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
