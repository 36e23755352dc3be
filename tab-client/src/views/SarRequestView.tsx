import { Button, Field, Input, Select, Spinner, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { SarRequest } from '../api-types';
import { formatDate, formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';

const DECISIONS = {
  'parental-responsibility': [
    ['held', 'Holds parental responsibility'],
    ['not-held', 'Does not hold parental responsibility'],
  ],
  competence: [
    ['not-competent', 'The child is not competent to decide'],
    ['competent-consents', 'The child is competent and agrees'],
    ['competent-refuses', 'The child is competent and does not agree'],
  ],
} as const;

/** One request: its clock, the decisions a parent's request needs, the extension and closing. */
export function SarRequestView(props: {
  api: ApiClient;
  sarId: string;
  onReview: () => void;
  onBack: () => void;
}) {
  const path = `sars/${encodeURIComponent(props.sarId)}`;
  const loaded = useLoad(() => props.api.get<{ request: SarRequest }>(path), props.sarId);
  const [error, setError] = useState<string>();
  const r = loaded.data?.request;
  const send = async (what: string, body: unknown) => {
    setError(undefined);
    try {
      await props.api.post(`${path}/${what}`, body);
      loaded.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  const open = r?.status === 'open' || r?.status === 'extended';
  const parent = r?.relationship === 'parent' || r?.relationship === 'carer';
  return (
    <section aria-labelledby="sar-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="sar-heading">Subject access request{r ? ` ${r.reference}` : ''}</h1>
      {loaded.loading && <Spinner size="tiny" label="Loading the request…" />}
      {loaded.error !== undefined && <p role="alert">{messageOf(loaded.error)}</p>}
      {error && <p role="alert">{error}</p>}
      {r && (
        <>
          <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px' }}>
            <dt>Pupil</dt>
            <dd>{r.pupilName}</dd>
            <dt>Asked by</dt>
            <dd>
              {r.requesterName} ({r.relationship}); identity: {r.identityCheck}
            </dd>
            <dt>Asked for</dt>
            <dd>{r.scopeOfRequest}</dd>
            <dt>Received</dt>
            <dd>{formatDateTime(r.receivedAt)}</dd>
            <dt>Due by</dt>
            <dd>
              end of {formatDate(new Date(Date.parse(r.dueAt) - 1).toISOString())}
              {r.overdue ? ' (overdue)' : ''}
              {r.extension &&
                ` (extended by ${r.extension.months} month(s): ${r.extension.reason}; requester told ${r.extension.requesterToldOn})`}
            </dd>
            <dt>Status</dt>
            <dd>{r.status}</dd>
            {r.response && (
              <>
                <dt>Response</dt>
                <dd>
                  {r.response.text} ({formatDateTime(r.response.at)}, {r.response.byName})
                </dd>
              </>
            )}
          </dl>
          {parent &&
            (['parental-responsibility', 'competence'] as const).map((kind) => {
              const made = kind === 'competence' ? r.competence : r.parentalResponsibility;
              return made ? (
                <p key={kind}>
                  {DECISIONS[kind].find(([v]) => v === made.decision)?.[1]}: {made.reason} (
                  {made.decidedByName}, {formatDateTime(made.decidedAt)})
                </p>
              ) : (
                open && <DecisionForm key={kind} kind={kind} onSave={(b) => send('decisions', b)} />
              );
            })}
          {r.releaseBlockers.map((b) => (
            <p key={b}>{b}</p>
          ))}
          {open && (
            <>
              <Button appearance="primary" onClick={props.onReview}>
                Review the bundle and redactions
              </Button>
              {!r.extension && <ExtensionForm onSave={(b) => send('extension', b)} />}
              <CloseForm onSave={(b) => send('close', b)} />
            </>
          )}
        </>
      )}
    </section>
  );
}

function DecisionForm(props: {
  kind: keyof typeof DECISIONS;
  onSave: (body: unknown) => Promise<void>;
}) {
  const [decision, setDecision] = useState('');
  const [reason, setReason] = useState('');
  return (
    <fieldset>
      <legend>
        {props.kind === 'competence'
          ? 'Is the child competent to decide?'
          : 'Parental responsibility'}
      </legend>
      <Select aria-label={props.kind} value={decision} onChange={(_, d) => setDecision(d.value)}>
        <option value="">Choose…</option>
        {DECISIONS[props.kind].map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </Select>
      <Field label="Reason">
        <Input value={reason} onChange={(_, d) => setReason(d.value)} />
      </Field>
      <Button onClick={() => void props.onSave({ kind: props.kind, decision, reason })}>
        Record the decision
      </Button>
    </fieldset>
  );
}

function ExtensionForm(props: { onSave: (body: unknown) => Promise<void> }) {
  const [months, setMonths] = useState('2');
  const [reason, setReason] = useState('');
  const [toldOn, setToldOn] = useState('');
  return (
    <fieldset>
      <legend>Extend (complex request)</legend>
      <Select aria-label="Extend by" value={months} onChange={(_, d) => setMonths(d.value)}>
        <option value="1">One month</option>
        <option value="2">Two months</option>
      </Select>
      <Field label="Why the request is complex">
        <Input value={reason} onChange={(_, d) => setReason(d.value)} />
      </Field>
      <Field label="Date the requester was told">
        <Input type="date" value={toldOn} onChange={(_, d) => setToldOn(d.value)} />
      </Field>
      <Button
        onClick={() =>
          void props.onSave({ months: Number(months), reason, requesterToldOn: toldOn })
        }
      >
        Extend
      </Button>
    </fieldset>
  );
}

function CloseForm(props: { onSave: (body: unknown) => Promise<void> }) {
  const [status, setStatus] = useState('released');
  const [response, setResponse] = useState('');
  return (
    <fieldset>
      <legend>Close the request</legend>
      <Select aria-label="Outcome" value={status} onChange={(_, d) => setStatus(d.value)}>
        <option value="released">Released</option>
        <option value="refused">Refused</option>
        <option value="withdrawn">Withdrawn</option>
      </Select>
      <Field label="What was sent, or why nothing was">
        <Textarea value={response} onChange={(_, d) => setResponse(d.value)} />
      </Field>
      <Button onClick={() => void props.onSave({ status, response })}>Close</Button>
    </fieldset>
  );
}
