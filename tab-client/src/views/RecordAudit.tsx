import { Button, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { RecordAuditLine } from '../api-types';
import { formatDateTime, messageOf } from '../format';

/** Who viewed and changed a record, for the team; loaded on request (reading it is audited). */
export function RecordAudit(props: { api: ApiClient; incidentId: string }) {
  const [lines, setLines] = useState<RecordAuditLine[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const load = async () => {
    setBusy(true);
    try {
      const answer = await props.api.get<{ events: RecordAuditLine[] }>(
        `incidents/${encodeURIComponent(props.incidentId)}/audit`,
      );
      setLines(answer.events);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="audit-heading" className="no-print">
      <h2 id="audit-heading">Audit</h2>
      {!lines && (
        <Button disabled={busy} onClick={() => void load()}>
          Show who viewed and changed this record
        </Button>
      )}
      {busy && <Spinner size="tiny" label="Loading the audit…" />}
      {error && <p role="alert">{error}</p>}
      {lines && (
        <ul aria-label="Audit events">
          {lines.map((l) => (
            <li key={l.sequence}>
              {formatDateTime(l.at)}: {l.actorName}, {l.action}
              {l.reason ? ` (${l.reason})` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
