import { Button, Field, Input, Select, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { SharingEntry } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';

const BASES = [
  ['safeguarding-children', 'Safeguarding of children (DPA 2018 Sch. 1 para. 18)'],
  ['legal-obligation', 'Legal obligation'],
  ['public-task', 'Public task'],
  ['vital-interests', 'Vital interests'],
  ['consent', 'Consent'],
] as const;

/**
 * The information-sharing log from a record: the pupil's disclosures and decisions not to share
 * (referrals add theirs themselves), and the form to record one.
 */
export function SharingPanel(props: { api: ApiClient; incidentId: string; pupilId: string }) {
  const { api } = props;
  const loaded = useLoad(
    () =>
      api.get<{ entries: SharingEntry[] }>(`pupils/${encodeURIComponent(props.pupilId)}/sharing`),
    props.pupilId,
  );
  const [form, setForm] = useState({
    kind: 'disclosure',
    what: '',
    recipient: '',
    at: '',
    why: '',
    lawfulBasis: 'safeguarding-children',
  });
  const [error, setError] = useState<string>();
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  const submit = async () => {
    setError(undefined);
    try {
      const { lawfulBasis, at, ...rest } = form;
      await api.post(`incidents/${encodeURIComponent(props.incidentId)}/sharing`, {
        ...rest,
        at: at ? new Date(at).toISOString() : '',
        ...(form.kind === 'disclosure' ? { lawfulBasis } : {}),
      });
      setForm({ ...form, what: '', recipient: '', why: '' });
      loaded.reload();
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <section aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">Information sharing</h2>
      {loaded.error !== undefined && <p role="alert">{messageOf(loaded.error)}</p>}
      <ul aria-label="Information-sharing log">
        {loaded.data?.entries.map((e) => (
          <li key={e.entryId}>
            {e.kind === 'disclosure' ? 'Shared' : 'Not shared'} with {e.recipient},{' '}
            {formatDateTime(e.at)}: {e.what}. Why: {e.why}
            {e.lawfulBasis ? ` (basis: ${e.lawfulBasis})` : ''}. Decided by {e.decidedByName}
            {e.source !== 'tab' ? ` (added by the ${e.source})` : ''}.
          </li>
        ))}
      </ul>
      <form
        aria-label="Record information shared"
        onSubmit={(ev) => {
          ev.preventDefault();
          void submit();
        }}
        style={{ display: 'grid', gap: 8, maxWidth: 560 }}
      >
        <Select
          aria-label="Shared or not"
          value={form.kind}
          onChange={(_, d) => set({ kind: d.value })}
        >
          <option value="disclosure">Information was shared</option>
          <option value="not-shared">Decided not to share</option>
        </Select>
        <Field label="What">
          <Input value={form.what} onChange={(_, d) => set({ what: d.value })} />
        </Field>
        <Field label="With whom (or who asked)">
          <Input value={form.recipient} onChange={(_, d) => set({ recipient: d.value })} />
        </Field>
        <Field label="When">
          <Input type="datetime-local" value={form.at} onChange={(_, d) => set({ at: d.value })} />
        </Field>
        <Field label={form.kind === 'disclosure' ? 'Why' : 'Reasons for not sharing'}>
          <Textarea value={form.why} onChange={(_, d) => set({ why: d.value })} />
        </Field>
        {form.kind === 'disclosure' && (
          <Select
            aria-label="Lawful basis"
            value={form.lawfulBasis}
            onChange={(_, d) => set({ lawfulBasis: d.value })}
          >
            {BASES.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </Select>
        )}
        {error && <p role="alert">{error}</p>}
        <Button type="submit">Add to the log</Button>
      </form>
    </section>
  );
}
