import {
  Badge,
  Button,
  Field,
  Input,
  Link,
  Select,
  Spinner,
  Textarea,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { PupilSummary, SarRequest } from '../api-types';
import { formatDate, messageOf } from '../format';
import { useLoad } from '../use-load';

const RELATIONSHIPS = [
  ['parent', 'Parent'],
  ['carer', 'Carer'],
  ['pupil', 'The pupil'],
  ['solicitor', 'Solicitor'],
  ['other', 'Other'],
] as const;

/** The SAR register: every request with its clock, and the form to log a new one. */
export function SarRegisterView(props: {
  api: ApiClient;
  onOpen: (sarId: string) => void;
  onBack: () => void;
}) {
  const loaded = useLoad(() => props.api.get<{ requests: SarRequest[] }>('sars'), 'sars');
  return (
    <section aria-labelledby="sars-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="sars-heading">Subject access requests</h1>
      {loaded.loading && <Spinner size="tiny" label="Loading the register…" />}
      {loaded.error !== undefined && <p role="alert">{messageOf(loaded.error)}</p>}
      {loaded.data && (
        <table aria-label="Subject access requests">
          <thead>
            <tr>
              <th>Reference</th>
              <th>Pupil</th>
              <th>Received</th>
              <th>Due</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.requests.map((r) => (
              <tr key={r.sarId}>
                <td>
                  <Link as="button" onClick={() => props.onOpen(r.sarId)}>
                    {r.reference}
                  </Link>
                </td>
                <td>{r.pupilName}</td>
                <td>{formatDate(r.receivedAt)}</td>
                <td>
                  {formatDate(r.dueAt)} {r.overdue && <Badge color="danger">overdue</Badge>}
                </td>
                <td>{r.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewRequestForm api={props.api} onLogged={props.onOpen} />
    </section>
  );
}

function NewRequestForm(props: { api: ApiClient; onLogged: (sarId: string) => void }) {
  const [requestKey] = useState(() => crypto.randomUUID());
  const [query, setQuery] = useState('');
  const [pupils, setPupils] = useState<PupilSummary[]>([]);
  const [form, setForm] = useState({
    pupilId: '',
    requesterName: '',
    relationship: 'parent',
    identityCheck: '',
    scopeOfRequest: '',
    receivedAt: new Date().toISOString().slice(0, 10),
  });
  const [error, setError] = useState<string>();
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  const search = async () => {
    const answer = await props.api.get<{ pupils: PupilSummary[] }>('pupils', { q: query });
    setPupils(answer.pupils);
    if (answer.pupils[0]) set({ pupilId: answer.pupils[0].pupilId });
  };
  const submit = async () => {
    setError(undefined);
    try {
      const answer = await props.api.post<{ request: SarRequest }>('sars', {
        ...form,
        requestKey,
        receivedAt: receivedInstant(form.receivedAt),
      });
      props.onLogged(answer.request.sarId);
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <form
      aria-label="Log a subject access request"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      style={{ display: 'grid', gap: 8, maxWidth: 560, marginTop: 16 }}
    >
      <h2 style={{ fontSize: 16 }}>Log a request</h2>
      <Field label="Pupil (search by name)">
        <div style={{ display: 'flex', gap: 8 }}>
          <Input value={query} onChange={(_, d) => setQuery(d.value)} />
          <Button onClick={() => void search()}>Find</Button>
        </div>
      </Field>
      {pupils.length > 0 && (
        <Select
          aria-label="Pupil"
          value={form.pupilId}
          onChange={(_, d) => set({ pupilId: d.value })}
        >
          {pupils.map((p) => (
            <option key={p.pupilId} value={p.pupilId}>
              {p.displayName} ({p.yearGroup})
            </option>
          ))}
        </Select>
      )}
      <Field label="Who is asking" required>
        <Input value={form.requesterName} onChange={(_, d) => set({ requesterName: d.value })} />
      </Field>
      <Field label="Relationship to the pupil">
        <Select value={form.relationship} onChange={(_, d) => set({ relationship: d.value })}>
          {RELATIONSHIPS.map(([value, words]) => (
            <option key={value} value={value}>
              {words}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="How their identity was checked" required>
        <Input value={form.identityCheck} onChange={(_, d) => set({ identityCheck: d.value })} />
      </Field>
      <Field label="What they asked for" required>
        <Textarea
          value={form.scopeOfRequest}
          onChange={(_, d) => set({ scopeOfRequest: d.value })}
        />
      </Field>
      <Field label="Date received">
        <Input
          type="date"
          value={form.receivedAt}
          onChange={(_, d) => set({ receivedAt: d.value })}
        />
      </Field>
      {error && <p role="alert">{error}</p>}
      <Button appearance="primary" type="submit">
        Log the request
      </Button>
    </form>
  );
}

/**
 * The day received as an instant: midday, or now when that is later (received today). An empty or
 * half-typed date goes as it is, and the server says what is missing.
 */
function receivedInstant(day: string): string {
  const midday = new Date(`${day}T12:00:00`);
  if (!day || Number.isNaN(midday.getTime())) return day;
  const now = new Date();
  return (midday > now ? now : midday).toISOString();
}
