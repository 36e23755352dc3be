import { Button, Field, Input, Select, Spinner, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { AdultConcernView as Concern } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { ladoText } from './AdultConcernsView';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

const STEP_KINDS: [string, string][] = [
  ['lado-referral', 'Referred to the LADO'],
  ['lado-advice', 'LADO advice'],
  ['lado-decision', 'LADO decision'],
  ['suspension-considered', 'Suspension considered'],
  ['police', 'Police'],
  ['hr', 'HR'],
  ['pattern-review', 'Pattern review'],
  ['note', 'Note'],
];
const ALLEGATION_OUTCOMES = ['substantiated', 'false', 'malicious', 'unsubstantiated', 'unfounded'];
const LOW_LEVEL_OUTCOMES = ['addressed-with-adult', 'no-further-action'];
// The school's day and time as this browser sees them (staff browsers run in school time).
const today = () => new Date().toLocaleDateString('en-CA');
const nowTime = () => new Date().toTimeString().slice(0, 5);

/** One concern about an adult, for its case manager (after step-up): the case, and its next step. */
export function AdultConcernView(props: { api: ApiClient; concernId: string; onBack: () => void }) {
  const { api, concernId } = props;
  const path = `adult-concerns/${encodeURIComponent(concernId)}`;
  const loaded = useLoad(() => api.get<Concern>(path), concernId);
  const challenge = stepUpChallenge(loaded.error);
  const c = loaded.data;
  return (
    <section aria-labelledby="adult-concern-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="adult-concern-heading">Concern about an adult{c ? ` ${c.reference}` : ''}</h1>
      {loaded.loading && <Spinner size="tiny" label="Loading the concern…" />}
      {challenge && <StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />}
      {loaded.error !== undefined && !challenge && <p role="alert">{messageOf(loaded.error)}</p>}
      {c && (
        <article aria-label="Concern details">
          <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px' }}>
            <dt>About</dt>
            <dd>
              {c.details.adultName}
              {c.details.adultRole ? ` (${c.details.adultRole})` : ''}, {c.adultKind}
            </dd>
            <dt>Happened</dt>
            <dd>
              {formatDateTime(c.happenedAt)}
              {c.details.location ? `, ${c.details.location}` : ''}
            </dd>
            <dt>Recorded</dt>
            <dd>
              {formatDateTime(c.recordedAt)} by {c.recordedByName}
            </dd>
            <dt>Route</dt>
            <dd>{c.route === 'allegation' ? 'Allegation (LADO route)' : 'Low-level concern'}</dd>
            <dt>LADO</dt>
            <dd>{ladoText(c)}</dd>
            <dt>Acknowledged</dt>
            <dd>{c.acknowledgedBy ?? 'Not yet'}</dd>
            <dt>Retention</dt>
            <dd>
              Review on {c.retention.reviewOn}: {c.retention.explanation}
            </dd>
          </dl>
          <h2>What happened</h2>
          <p style={{ whiteSpace: 'pre-wrap' }}>{c.details.whatHappened}</p>
          <h2>Steps</h2>
          {c.steps.length === 0 ? (
            <p>No steps yet.</p>
          ) : (
            <ol>
              {c.steps.map((s, i) => (
                <li key={i}>
                  {formatDateTime(s.at)} · {STEP_KINDS.find(([k]) => k === s.kind)?.[1] ?? s.kind} ·{' '}
                  {s.byName}
                  {s.note && <p style={{ whiteSpace: 'pre-wrap' }}>{s.note}</p>}
                </li>
              ))}
            </ol>
          )}
          {c.outcomeDetail ? (
            <section>
              <h2>Outcome</h2>
              <p>
                {c.outcomeDetail.outcome}, {c.outcomeDetail.date} ({c.outcomeDetail.byName})
              </p>
              {c.outcomeDetail.learning && <p>{c.outcomeDetail.learning}</p>}
            </section>
          ) : (
            <CaseForms api={api} path={path} concern={c} onDone={loaded.reload} />
          )}
        </article>
      )}
    </section>
  );
}

/** Adding a step and recording the outcome; what was typed stays when the server refuses. */
function CaseForms(props: { api: ApiClient; path: string; concern: Concern; onDone: () => void }) {
  const [kind, setKind] = useState('lado-referral');
  const [date, setDate] = useState(today());
  const [time, setTime] = useState(nowTime());
  const [note, setNote] = useState('');
  const outcomes = props.concern.route === 'allegation' ? ALLEGATION_OUTCOMES : LOW_LEVEL_OUTCOMES;
  const [outcome, setOutcome] = useState(outcomes[0] ?? '');
  const [learning, setLearning] = useState('');
  const [dob, setDob] = useState('');
  const [error, setError] = useState<string>();

  const send = async (suffix: string, body: unknown) => {
    setError(undefined);
    try {
      await props.api.post(`${props.path}/${suffix}`, body);
      setNote('');
      props.onDone();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="case-heading" className="no-print">
      <h2 id="case-heading">Next step</h2>
      {error && <p role="alert">{error}</p>}
      <Field label="What was done">
        <Select value={kind} onChange={(_, d) => setKind(d.value)}>
          {STEP_KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Date (YYYY-MM-DD)">
        <Input value={date} onChange={(_, d) => setDate(d.value)} />
      </Field>
      <Field label="Time (HH:MM)">
        <Input value={time} onChange={(_, d) => setTime(d.value)} />
      </Field>
      <Field label="Note (the advice or decision in full)">
        <Textarea value={note} onChange={(_, d) => setNote(d.value)} resize="vertical" />
      </Field>
      <Button onClick={() => void send('steps', { kind, date, time, note })}>Add step</Button>
      {props.concern.route === 'low-level' && (
        <Button onClick={() => void send('escalate', { reason: note })}>
          Escalate to the allegation route (the note is the reason)
        </Button>
      )}
      <h2>Outcome</h2>
      <Field label="Outcome">
        <Select value={outcome} onChange={(_, d) => setOutcome(d.value)}>
          {outcomes.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="What was learned">
        <Textarea value={learning} onChange={(_, d) => setLearning(d.value)} />
      </Field>
      <Field label="The adult's date of birth, if known (for how long it is kept)">
        <Input value={dob} onChange={(_, d) => setDob(d.value)} placeholder="YYYY-MM-DD" />
      </Field>
      <Button
        appearance="primary"
        onClick={() =>
          void send('outcome', {
            outcome,
            date,
            learning,
            ...(dob ? { subjectDateOfBirth: dob } : {}),
          })
        }
      >
        Record the outcome
      </Button>
    </section>
  );
}
