import { Badge, Button, Field, Input, Select, Spinner, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { DisposedRecord, DueRecord, LegalHold, RetentionRules } from '../api-types';
import { formatDate, messageOf } from '../format';
import { useLoad } from '../use-load';
import { RetentionHolds } from './RetentionHolds';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

/** What the page loads at once: the rules, the records due, the holds and past disposals. */
interface RetentionPage {
  rules: RetentionRules;
  due: DueRecord[];
  holds: LegalHold[];
  disposed: DisposedRecord[];
}

const BASIS = { 'date-of-birth': 'date of birth', recorded: 'date recorded' } as const;

/**
 * The team's retention page (after step-up): records due for review, each kept (with a reason and
 * a new date) or disposed of; the legal holds, placed and lifted here; the rules in force; and the
 * disposals so far. A held record shows its hold, and a disposal refused says which hold.
 */
export function RetentionView(props: { api: ApiClient; onBack: () => void }) {
  const { api } = props;
  const loaded = useLoad(async (): Promise<RetentionPage> => {
    const [rules, due, holds, disposed] = await Promise.all([
      api.get<RetentionRules>('retention/rules'),
      api.get<{ records: DueRecord[] }>('retention/due'),
      api.get<{ holds: LegalHold[] }>('retention/holds'),
      api.get<{ disposed: DisposedRecord[] }>('retention/disposed'),
    ]);
    return { rules, due: due.records, holds: holds.holds, disposed: disposed.disposed };
  }, 'retention');
  const page = loaded.data;
  const challenge = stepUpChallenge(loaded.error);
  return (
    <section aria-labelledby="retention-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="retention-heading">Retention and legal holds</h1>
      {loaded.loading && <Spinner size="tiny" label="Loading retention…" />}
      {challenge && <StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />}
      {loaded.error !== undefined && !challenge && <p role="alert">{messageOf(loaded.error)}</p>}
      {page && (
        <>
          <h2 style={{ fontSize: 16 }}>
            Records due for review <Badge appearance="tint">{page.due.length}</Badge>
          </h2>
          {page.due.length === 0 ? (
            <p>No record is due for retention review.</p>
          ) : (
            <table aria-label="Records due for review">
              <thead>
                <tr>
                  <th>Reference</th>
                  <th>About</th>
                  <th>Categories</th>
                  <th>Recorded</th>
                  <th>Review date and rule</th>
                  <th>Decision</th>
                </tr>
              </thead>
              <tbody>
                {page.due.map((r) => (
                  <DueRow key={r.scheduleId} api={api} record={r} onDone={loaded.reload} />
                ))}
              </tbody>
            </table>
          )}
          <RetentionHolds api={api} holds={page.holds} due={page.due} onChanged={loaded.reload} />
          <h2 style={{ fontSize: 16 }}>Rules {page.rules.isDefault ? '(the defaults)' : ''}</h2>
          <ul aria-label="Retention rules">
            {page.rules.rules.map((rule) => (
              <li key={rule.recordType}>
                {rule.recordType}: {BASIS[rule.basis]} + {rule.years} years
              </li>
            ))}
          </ul>
          <h2 style={{ fontSize: 16 }}>Disposed of</h2>
          {page.disposed.length === 0 ? (
            <p>Nothing has been disposed of.</p>
          ) : (
            <ul aria-label="Disposed records">
              {page.disposed.map((t) => (
                <li key={t.scheduleId}>
                  {t.reference}: disposed of on {formatDate(t.disposedAt)} by {t.disposedByName}{' '}
                  under rule {t.rule} (certificate {t.certificateId.slice(0, 8)})
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

/** One record due: keep it (reason and next review date) or dispose of it (asks to confirm). */
function DueRow(props: { api: ApiClient; record: DueRecord; onDone: () => void }) {
  const r = props.record;
  const [decision, setDecision] = useState<'retain' | 'dispose'>('retain');
  const [reason, setReason] = useState('');
  const [reviewOn, setReviewOn] = useState('');
  const [error, setError] = useState<string>();
  const decide = async () => {
    setError(undefined);
    if (
      decision === 'dispose' &&
      !window.confirm(`Dispose of ${r.reference}? This cannot be undone.`)
    ) {
      return;
    }
    try {
      await props.api.post(`retention/records/${encodeURIComponent(r.scheduleId)}/outcome`, {
        decision,
        ...(decision === 'retain' ? { reason, reviewOn } : {}),
      });
      props.onDone();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <tr>
      <td>{r.reference}</td>
      <td>{r.pupilName}</td>
      <td>{r.categoryNames.join(', ')}</td>
      <td>{formatDate(r.recordedAt)}</td>
      <td>
        {r.reviewOn}: {r.rule}
        {r.lastRetained && (
          <div>
            Kept by {r.lastRetained.byName} on {formatDate(r.lastRetained.at)}:{' '}
            {r.lastRetained.reason}
          </div>
        )}
        {r.holds.map((h) => (
          <Badge key={h.holdId} color="danger" style={{ marginLeft: 4 }}>
            on hold: {h.reference}
          </Badge>
        ))}
      </td>
      <td>
        <form
          aria-label={`Decision on ${r.reference}`}
          onSubmit={(e) => {
            e.preventDefault();
            void decide();
          }}
          style={{ display: 'grid', gap: 4, minWidth: 220 }}
        >
          <Select
            aria-label="Outcome"
            value={decision}
            onChange={(_, d) => setDecision(d.value as 'retain' | 'dispose')}
          >
            <option value="retain">Retain</option>
            <option value="dispose">Dispose of</option>
          </Select>
          {decision === 'retain' && (
            <>
              <Field label="Why keep it">
                <Textarea value={reason} onChange={(_, d) => setReason(d.value)} />
              </Field>
              <Field label="Next review date">
                <Input type="date" value={reviewOn} onChange={(_, d) => setReviewOn(d.value)} />
              </Field>
            </>
          )}
          <Button type="submit" appearance={decision === 'dispose' ? 'primary' : 'secondary'}>
            {decision === 'retain' ? 'Retain' : 'Dispose of'}
          </Button>
          {error && <p role="alert">{error}</p>}
        </form>
      </td>
    </tr>
  );
}
