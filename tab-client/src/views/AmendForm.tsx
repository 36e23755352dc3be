import { Button, Field, Select, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import { NARRATIVE_LABELS, type RecordView } from '../api-types';
import { messageOf } from '../format';

/**
 * The team corrects one text field of a record with a reason. The record itself never changes:
 * the server stores the amendment as the next version and audits it. What was typed stays in the
 * form when the server refuses it.
 */
export function AmendForm(props: {
  api: ApiClient;
  record: RecordView['incident'];
  onAmended: () => void;
}) {
  const [field, setField] = useState<(typeof NARRATIVE_LABELS)[number][0]>('facts');
  const [value, setValue] = useState(props.record.facts);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`incidents/${encodeURIComponent(props.record.incidentId)}/amendments`, {
        reason,
        changes: { [field]: value },
      });
      setReason('');
      props.onAmended();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="amend-heading" className="no-print">
      <h2 id="amend-heading">Amend this record</h2>
      <Field label="Field">
        <Select
          value={field}
          onChange={(_, d) => {
            const next = d.value as typeof field;
            setField(next);
            setValue(String(props.record[next] ?? ''));
          }}
        >
          {NARRATIVE_LABELS.map(([name, label]) => (
            <option key={name} value={name}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="New text">
        <Textarea value={value} onChange={(_, d) => setValue(d.value)} resize="vertical" />
      </Field>
      <Field label="Reason (required; who asked and why)" validationMessage={error}>
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} />
      </Field>
      <Button appearance="primary" disabled={busy} onClick={() => void submit()}>
        Save amendment
      </Button>
    </section>
  );
}
