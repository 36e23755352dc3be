import { Button, Field, Textarea } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import { messageOf } from '../format';

/**
 * The team closes a case with its outcome (the server takes the record's decision action and
 * refuses without one) or reopens a closed one with a reason. Both are audited server-side.
 */
export function CaseControl(props: {
  api: ApiClient;
  incidentId: string;
  status: 'open' | 'closed';
  onChanged: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const path = (verb: string) => `incidents/${encodeURIComponent(props.incidentId)}/${verb}`;
  const run = async (verb: 'close' | 'reopen') => {
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(path(verb), verb === 'reopen' ? { reason } : {});
      setReason('');
      props.onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="case-heading" className="no-print">
      <h2 id="case-heading">Case</h2>
      {props.status === 'open' ? (
        <Button disabled={busy} onClick={() => void run('close')}>
          Close case with its outcome
        </Button>
      ) : (
        <>
          <Field label="Reason for reopening">
            <Textarea value={reason} onChange={(_, d) => setReason(d.value)} />
          </Field>
          <Button disabled={busy} onClick={() => void run('reopen')}>
            Reopen case
          </Button>
        </>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
