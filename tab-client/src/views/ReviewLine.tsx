import { Button } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { RecordView } from '../api-types';
import { formatDateTime, messageOf } from '../format';

/**
 * Whether the safeguarding team has reviewed a new concern, and for the team the button that
 * says so (a deliberate act: opening the record does not review it). Audited server-side.
 */
export function ReviewLine(props: {
  api: ApiClient;
  incidentId: string;
  review: RecordView['review'];
  isTeam: boolean;
  onReviewed: () => void;
}) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const markReviewed = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.api.post(`incidents/${encodeURIComponent(props.incidentId)}/review`, {});
      props.onReviewed();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  if (props.review) {
    return (
      <p>
        Reviewed by {props.review.reviewedByName} on {formatDateTime(props.review.reviewedAt)}
      </p>
    );
  }
  return (
    <p>
      Not reviewed by the safeguarding team yet.{' '}
      {props.isTeam && (
        <Button
          className="no-print"
          appearance="primary"
          disabled={busy}
          onClick={() => void markReviewed()}
        >
          Mark reviewed
        </Button>
      )}
      {error && <span role="alert"> {error}</span>}
    </p>
  );
}
