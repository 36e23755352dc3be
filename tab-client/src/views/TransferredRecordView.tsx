import { Badge, Button, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import { NARRATIVE_LABELS, type TransferredFile, type TransferredRecord } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

type SentRecord = TransferredRecord['record'];
type Content = SentRecord['original'];

/**
 * A record another school sent with the child, read-only as it arrived: the record as
 * submitted, each amendment (who, when, why, what), as amended, the actions with their text,
 * decisions with reasons, the case's history and the files. The team reads it after step-up,
 * and every read and download is audited by the server.
 */
export function TransferredRecordView(props: {
  api: ApiClient;
  packageId: string;
  incidentId: string;
  onBack: () => void;
}) {
  const { api } = props;
  const path = `transferred-in/${encodeURIComponent(props.packageId)}/records/${encodeURIComponent(props.incidentId)}`;
  const loaded = useLoad(() => api.get<TransferredRecord>(path), path);
  const challenge = stepUpChallenge(loaded.error);
  const view = loaded.data;
  return (
    <section aria-labelledby="transferred-title">
      <Button onClick={props.onBack}>Back</Button>
      {loaded.loading && <Spinner size="tiny" label="Loading the record…" />}
      {challenge && <StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />}
      {!challenge && loaded.error !== undefined && <p role="alert">{messageOf(loaded.error)}</p>}
      {view && <TransferredRecordBody api={api} path={path} view={view} />}
    </section>
  );
}

function TransferredRecordBody(props: { api: ApiClient; path: string; view: TransferredRecord }) {
  const { view } = props;
  const record = view.record;
  return (
    <>
      <h1 id="transferred-title" style={{ fontSize: 20 }}>
        {record.reference} <Badge appearance="tint">Transferred in</Badge>{' '}
        <Badge appearance="outline">{record.status === 'open' ? 'Open' : 'Closed'}</Badge>
      </h1>
      <p style={{ margin: 0 }}>
        <strong>{capitalised(view.provenance)}</strong>
      </p>
      <p style={{ marginTop: 4 }}>
        Recorded {formatDateTime(record.recordedAt)} by {record.recordedBy.displayName} at{' '}
        {view.fromSchool}; sent {formatDateTime(view.exportedAt)}; imported by {view.importedByName}
        . Read-only: it is kept exactly as it arrived.
      </p>
      {view.otherPupilsNamed.length > 0 && (
        <p role="note">
          Other children named at the sending school:{' '}
          {view.otherPupilsNamed.map((o) => `${o.displayName} (${o.note})`).join('; ')}.
        </p>
      )}
      <h2 style={{ fontSize: 16 }}>As submitted</h2>
      <ContentView content={record.original} />
      {record.amendments.length > 0 && (
        <>
          <h2 style={{ fontSize: 16 }}>Amendments</h2>
          <ol>
            {record.amendments.map((a) => (
              <li key={a.version}>
                Version {a.version}, {formatDateTime(a.amendedAt)} by {a.amendedBy.displayName}:{' '}
                {a.changedFields.join(', ')}. Reason: {a.reason}
              </li>
            ))}
          </ol>
          <h2 style={{ fontSize: 16 }}>As amended</h2>
          <ContentView content={record.current} />
        </>
      )}
      <h2 style={{ fontSize: 16 }}>Actions</h2>
      {record.actions.length === 0 ? (
        <p>None.</p>
      ) : (
        <ol>
          {record.actions.map((a) => (
            <li key={a.actionId}>
              {formatDateTime(a.happenedAt)}, {a.kind} by {a.author.displayName}: {a.text}
              {detailsLine(a.details)}
            </li>
          ))}
        </ol>
      )}
      {record.caseStatus.length > 0 && (
        <>
          <h2 style={{ fontSize: 16 }}>Case status</h2>
          <ol>
            {record.caseStatus.map((c) => (
              <li key={c.sequence}>
                {c.status} {formatDateTime(c.at)} by {c.by.displayName}
                {c.reason ? `: ${c.reason}` : ''}
              </li>
            ))}
          </ol>
        </>
      )}
      <h2 style={{ fontSize: 16 }}>Files</h2>
      {record.files.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {record.files.map((f) => (
            <li key={f.fileId}>
              <FileDownload api={props.api} path={`${props.path}/files/${f.fileId}`} file={f} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ContentView(props: { content: Content }) {
  const c = props.content;
  return (
    <dl>
      <dt>When it happened</dt>
      <dd>
        {formatDateTime(c.happenedAt)}
        {c.transcribedFromPaper ? ' (transcribed from a paper note)' : ''}
      </dd>
      <dt>Categories</dt>
      <dd>{c.categories.map((x) => x.name).join(', ') || 'None'}</dd>
      {NARRATIVE_LABELS.map(([field, label]) =>
        c[field] ? (
          <div key={field}>
            <dt>{label}</dt>
            <dd style={{ whiteSpace: 'pre-wrap' }}>{c[field]}</dd>
          </div>
        ) : null,
      )}
      {c.agencies.length > 0 && (
        <>
          <dt>Agencies</dt>
          <dd>{c.agencies.map((x) => x.name).join(', ')}</dd>
        </>
      )}
      {c.bodyMap.length > 0 && (
        <>
          <dt>Body map</dt>
          <dd>
            {c.bodyMap
              .map((m) => `${m.region} (${m.side}, ${m.laterality}): ${m.description}`)
              .join('; ')}
          </dd>
        </>
      )}
    </dl>
  );
}

/** Downloads one file (verified by the server against the sending school's SHA-256). */
function FileDownload(props: { api: ApiClient; path: string; file: SentRecord['files'][number] }) {
  const [problem, setProblem] = useState<string>();
  const save = async () => {
    setProblem(undefined);
    try {
      const got = await props.api.get<TransferredFile>(props.path);
      const bytes = Uint8Array.from(atob(got.base64), (ch) => ch.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: got.contentType }));
      const link = document.createElement('a');
      link.href = url;
      link.download = got.fileName;
      link.click();
      URL.revokeObjectURL(url);
    } catch (error) {
      setProblem(messageOf(error));
    }
  };
  return (
    <>
      <Button size="small" onClick={() => void save()}>
        Download {props.file.name}
      </Button>{' '}
      {Math.ceil(props.file.size / 1024)} KB, uploaded {formatDateTime(props.file.uploadedAt)} by{' '}
      {props.file.uploadedBy.displayName}
      {problem && <span role="alert"> {problem}</span>}
    </>
  );
}

function detailsLine(details: Record<string, unknown>): string {
  const parts = Object.entries(details)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
    .map(([k, v]) => `${k}: ${String(v)}`);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
