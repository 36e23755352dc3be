import { Button, Field, Input, Select, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { DueRecord, LegalHold } from '../api-types';
import { formatDate, messageOf } from '../format';

const COVERS = { school: 'the whole school', pupil: 'a pupil', record: 'a record' } as const;

/** The legal holds: in force first, each with Lift (and its reason); a form to place one. */
export function RetentionHolds(props: {
  api: ApiClient;
  holds: LegalHold[];
  due: DueRecord[];
  onChanged: () => void;
}) {
  return (
    <section aria-labelledby="holds-heading">
      <h2 id="holds-heading" style={{ fontSize: 16 }}>
        Legal holds
      </h2>
      {props.holds.length === 0 ? (
        <p>No legal hold has been placed.</p>
      ) : (
        <ul aria-label="Legal holds">
          {props.holds.map((h) => (
            <HoldLine key={h.holdId} api={props.api} hold={h} onChanged={props.onChanged} />
          ))}
        </ul>
      )}
      <PlaceHold api={props.api} due={props.due} onPlaced={props.onChanged} />
    </section>
  );
}

function HoldLine(props: { api: ApiClient; hold: LegalHold; onChanged: () => void }) {
  const h = props.hold;
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const what = h.scope === 'record' ? `record ${h.targetReference}` : COVERS[h.scope];
  const lift = async () => {
    setError(undefined);
    try {
      await props.api.post(`retention/holds/${encodeURIComponent(h.holdId)}/lift`, { reason });
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <li style={{ marginBottom: 8 }}>
      <strong>{h.reference}</strong> on {what}: {h.reason}. Placed by {h.placedByName} on{' '}
      {formatDate(h.placedAt)}.
      {h.lifted ? (
        <span>
          {' '}
          Lifted by {h.lifted.byName} on {formatDate(h.lifted.at)}: {h.lifted.reason}.
        </span>
      ) : (
        <form
          aria-label={`Lift hold ${h.reference}`}
          onSubmit={(e) => {
            e.preventDefault();
            void lift();
          }}
          style={{ display: 'flex', gap: 8, alignItems: 'end' }}
        >
          <Field label="Why lift it">
            <Input value={reason} onChange={(_, d) => setReason(d.value)} />
          </Field>
          <Button type="submit">Lift</Button>
          {error && <span role="alert">{error}</span>}
        </form>
      )}
    </li>
  );
}

function PlaceHold(props: { api: ApiClient; due: DueRecord[]; onPlaced: () => void }) {
  const [form, setForm] = useState({ target: 'school', reason: '', reference: '' });
  const [error, setError] = useState<string>();
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  const place = async () => {
    setError(undefined);
    const [scope, targetId = ''] = form.target.split('|');
    try {
      await props.api.post('retention/holds', {
        scope,
        targetId,
        reason: form.reason,
        reference: form.reference,
      });
      setForm({ target: 'school', reason: '', reference: '' });
      props.onPlaced();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  // The subjects of the records due, once each (a pupil hold covers every record about them).
  const pupils = [
    ...new Map(
      props.due.filter((d) => d.pupilIds[0]).map((d) => [d.pupilIds[0], d] as const),
    ).values(),
  ];
  return (
    <form
      aria-label="Place a legal hold"
      onSubmit={(e) => {
        e.preventDefault();
        void place();
      }}
      style={{ display: 'grid', gap: 8, maxWidth: 560 }}
    >
      <h3 style={{ fontSize: 14, margin: 0 }}>Place a hold</h3>
      <Field label="What it covers">
        <Select value={form.target} onChange={(_, d) => set({ target: d.value })}>
          <option value="school">The whole school</option>
          {props.due.map((d) => (
            <option key={d.scheduleId} value={`record|${d.scheduleId}`}>
              Record {d.reference}
            </option>
          ))}
          {pupils.map((d) => (
            <option key={`pupil-${d.scheduleId}`} value={`pupil|${d.pupilIds[0] ?? ''}`}>
              Every record about {d.pupilName}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="Reference (the inquiry's or case's)">
        <Input value={form.reference} onChange={(_, d) => set({ reference: d.value })} />
      </Field>
      <Field label="Reason">
        <Textarea value={form.reason} onChange={(_, d) => set({ reason: d.value })} />
      </Field>
      <Button type="submit" appearance="primary">
        Place hold
      </Button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}
