import { Badge, Button, Spinner } from '@fluentui/react-components';
import type { ApiClient } from '../api-client';
import { NARRATIVE_LABELS, type RecordView as Record } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { AmendForm } from './AmendForm';
import { CaseControl } from './CaseControl';
import { RecordAudit } from './RecordAudit';
import { ReviewLine } from './ReviewLine';
import { SharingPanel } from './SharingPanel';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

/** One record in full; the API asks for step-up first, which this view handles. */
export function RecordView(props: {
  api: ApiClient;
  incidentId: string;
  isTeam: boolean;
  onBack: () => void;
}) {
  const { api, incidentId } = props;
  const loaded = useLoad(
    () => api.get<Record>(`incidents/${encodeURIComponent(incidentId)}`),
    incidentId,
  );
  const challenge = stepUpChallenge(loaded.error);

  const record = loaded.data?.incident;
  return (
    <section aria-labelledby="record-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back
      </Button>
      <h1 id="record-heading">Record{record ? ` ${record.reference}` : ''}</h1>
      {loaded.loading && <Spinner size="tiny" label="Loading the record…" />}
      {challenge && <StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />}
      {loaded.error !== undefined && !challenge && <p role="alert">{messageOf(loaded.error)}</p>}
      {record && (
        <article aria-label="Record details">
          <dl style={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px' }}>
            <dt>Pupil</dt>
            <dd>{record.pupil.displayName}</dd>
            <dt>Happened</dt>
            <dd>{formatDateTime(record.happenedAt)}</dd>
            <dt>Recorded</dt>
            <dd>
              {formatDateTime(record.recordedAt)} by {record.recordedByName}
            </dd>
            <dt>Categories</dt>
            <dd>{record.categoryNames.join(', ')}</dd>
            <dt>Status</dt>
            <dd>
              <Badge appearance="tint">{record.status === 'open' ? 'Open' : 'Closed'}</Badge>
            </dd>
            {record.linkedPupils.length > 0 && (
              <>
                <dt>Also involved</dt>
                <dd>{record.linkedPupils.map((p) => `${p.displayName} (${p.role})`).join(', ')}</dd>
              </>
            )}
            {record.agencyNames.length > 0 && (
              <>
                <dt>Agencies</dt>
                <dd>{record.agencyNames.join(', ')}</dd>
              </>
            )}
          </dl>
          <ReviewLine
            api={api}
            incidentId={incidentId}
            review={loaded.data?.review ?? null}
            isTeam={props.isTeam}
            onReviewed={loaded.reload}
          />
          {NARRATIVE_LABELS.map(([field, label]) =>
            record[field] ? (
              <section key={field}>
                <h2>{label}</h2>
                <p style={{ whiteSpace: 'pre-wrap' }}>{record[field]}</p>
              </section>
            ) : null,
          )}
          {(record.bodyMap?.length ?? 0) > 0 && (
            <section>
              <h2>Body map</h2>
              <ul>
                {record.bodyMap?.map((mark, i) => (
                  <li key={i}>
                    {[mark.region, mark.description ?? mark.note].filter(Boolean).join(': ')}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {loaded.data && loaded.data.amendments.length > 0 && (
            <section>
              <h2>Amendments</h2>
              <p>The record above reads as amended; the original is kept.</p>
              <ul>
                {loaded.data.amendments.map((a) => (
                  <li key={a.version}>
                    Version {a.version}: {a.changedFields.join(', ')} amended by {a.amendedByName}{' '}
                    at {formatDateTime(a.amendedAt)}. Reason: {a.reason}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {loaded.data && loaded.data.actions.length > 0 && (
            <section>
              <h2>Actions</h2>
              <ul>
                {loaded.data.actions.map((a) => (
                  <li key={a.actionId}>
                    <strong>{a.kind}</strong>, {formatDateTime(a.happenedAt)} by {a.authorName}
                    <p style={{ whiteSpace: 'pre-wrap' }}>{a.text}</p>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {loaded.data && loaded.data.files.length > 0 && (
            <section>
              <h2>Files</h2>
              <ul>
                {loaded.data.files.map((f) => (
                  <li key={f.fileId}>
                    {f.fileName}, {formatDateTime(f.uploadedAt)} by {f.uploadedByName}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {props.isTeam && (
            <>
              <CaseControl
                api={api}
                incidentId={incidentId}
                status={record.status}
                onChanged={loaded.reload}
              />
              <AmendForm api={api} record={record} onAmended={loaded.reload} />
              <RecordAudit api={api} incidentId={incidentId} />
              <SharingPanel api={api} incidentId={incidentId} pupilId={record.pupil.pupilId} />
            </>
          )}
        </article>
      )}
    </section>
  );
}
