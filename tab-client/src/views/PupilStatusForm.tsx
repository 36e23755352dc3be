import { Button, Checkbox, Field, Input, Select, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import { LOOKED_AFTER_LABELS, STATUS_FLAG_LABELS, type PupilStatus } from '../api-types';
import { messageOf } from '../format';

/**
 * The team changes a pupil's status with a reason. The server keeps every version with who and
 * why, and audits it; what was typed stays in the form when the server refuses it.
 */
export function PupilStatusForm(props: {
  api: ApiClient;
  path: string;
  status: PupilStatus;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [status, setStatus] = useState<PupilStatus>(props.status);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<PupilStatus>) => setStatus((s) => ({ ...s, ...patch }));

  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.api.put(props.path, { status, reason });
      props.onSaved();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-label="Change status"
      className="no-print"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <fieldset style={{ border: 'none', padding: 0 }}>
        <legend>Plans, care and needs</legend>
        {(Object.keys(STATUS_FLAG_LABELS) as (keyof typeof STATUS_FLAG_LABELS)[]).map((flag) => (
          <Checkbox
            key={flag}
            label={STATUS_FLAG_LABELS[flag]}
            checked={status[flag]}
            onChange={(_, d) => set({ [flag]: d.checked === true })}
          />
        ))}
      </fieldset>
      <Field label="Looked after">
        <Select
          value={status.lookedAfter}
          onChange={(_, d) => set({ lookedAfter: d.value as PupilStatus['lookedAfter'] })}
        >
          {Object.entries(LOOKED_AFTER_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="NHS number">
        <Input
          value={status.nhsNumber ?? ''}
          inputMode="numeric"
          onChange={(_, d) => set({ nhsNumber: d.value })}
        />
      </Field>
      <Field label="If there is no NHS number, why">
        <Input
          value={status.nhsNumberMissingReason ?? ''}
          onChange={(_, d) => set({ nhsNumberMissingReason: d.value })}
        />
      </Field>
      <Field label="Reason for the change (required)" validationMessage={error}>
        <Textarea value={reason} onChange={(_, d) => setReason(d.value)} />
      </Field>
      <div style={{ display: 'flex', gap: 8, marginTop: 8 }}>
        <Button appearance="primary" type="submit" disabled={busy}>
          Save status
        </Button>
        <Button onClick={props.onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
