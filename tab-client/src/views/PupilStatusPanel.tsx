import { Badge, Button, Spinner } from '@fluentui/react-components';
import { useState, type ReactNode } from 'react';
import type { ApiClient } from '../api-client';
import {
  LOOKED_AFTER_LABELS,
  STATUS_FLAG_LABELS,
  type PupilStatus,
  type PupilStatusView,
} from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { PupilStatusForm } from './PupilStatusForm';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

/** What the status says, as badges: only what is true, so a glance shows what matters. */
function statusBadges(status: PupilStatus): string[] {
  const flags = (Object.keys(STATUS_FLAG_LABELS) as (keyof typeof STATUS_FLAG_LABELS)[])
    .filter((flag) => status[flag])
    .map((flag) => STATUS_FLAG_LABELS[flag]);
  return status.lookedAfter === 'no' ? flags : [LOOKED_AFTER_LABELS[status.lookedAfter], ...flags];
}

/**
 * The head of a pupil's chronology for the safeguarding team: plans, care and needs, the NHS
 * number (or why there is none), who changed them and why, and the form to change them.
 */
export function PupilStatusPanel(props: { api: ApiClient; pupilId: string }) {
  const { api, pupilId } = props;
  const path = `pupils/${encodeURIComponent(pupilId)}/status`;
  const loaded = useLoad(() => api.get<PupilStatusView>(path), pupilId);
  const [editing, setEditing] = useState(false);
  const challenge = stepUpChallenge(loaded.error);

  const heading = (
    <h2 id="status-heading" style={{ fontSize: 16, margin: '0 0 8px' }}>
      Status
    </h2>
  );
  const panel = (children: ReactNode) => (
    <section aria-labelledby="status-heading" style={{ margin: '8px 0 16px' }}>
      {heading}
      {children}
    </section>
  );
  if (loaded.loading) return panel(<Spinner size="tiny" label="Loading status…" />);
  if (challenge) {
    return panel(<StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />);
  }
  if (loaded.error !== undefined || !loaded.data) {
    return panel(<p role="alert">{messageOf(loaded.error)}</p>);
  }
  const { status, known, history } = loaded.data;
  const badges = statusBadges(status);
  return panel(
    <>
      {!known && <p>No status recorded yet.</p>}
      {known && (
        <ul aria-label="Status" style={{ display: 'flex', flexWrap: 'wrap', gap: 6, padding: 0 }}>
          {badges.length === 0 && <li style={{ listStyle: 'none' }}>No plans or statuses.</li>}
          {badges.map((label) => (
            <li key={label} style={{ listStyle: 'none' }}>
              <Badge appearance="tint" color="informative">
                {label}
              </Badge>
            </li>
          ))}
        </ul>
      )}
      <p>
        {status.nhsNumber
          ? `NHS number: ${status.nhsNumber.replace(/^(\d{3})(\d{3})(\d{4})$/, '$1 $2 $3')}`
          : status.nhsNumberMissingReason
            ? `No NHS number: ${status.nhsNumberMissingReason}`
            : 'No NHS number, and no reason recorded for its absence.'}
      </p>
      {history[0] && (
        <p>
          Last changed by {history[0].changedByName} on {formatDateTime(history[0].changedAt)}
          {history[0].source === 'import' ? ' (from the MIS)' : ''}: {history[0].reason}
        </p>
      )}
      {editing ? (
        <PupilStatusForm
          api={api}
          path={path}
          status={status}
          onSaved={() => {
            setEditing(false);
            loaded.reload();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <Button className="no-print" onClick={() => setEditing(true)}>
          Change status
        </Button>
      )}
    </>,
  );
}
