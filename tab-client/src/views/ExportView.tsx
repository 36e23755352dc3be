import { Button, Spinner } from '@fluentui/react-components';
import { filterParams, type ApiClient } from '../api-client';
import { NARRATIVE_LABELS, type ChronologyFilter, type ExportData } from '../api-types';
import { entryTypeLabel, formatDate, formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

/**
 * The case-conference export: the chronology with narrative (what the reader may see), and who
 * exported it and when on every printed page. The browser's print dialog makes the PDF.
 */
export function ExportView(props: {
  api: ApiClient;
  pupilId: string;
  filter: ChronologyFilter;
  onBack: () => void;
}) {
  const { api, pupilId, filter } = props;
  const loaded = useLoad(
    () => api.get<ExportData>(`pupils/${encodeURIComponent(pupilId)}/export`, filterParams(filter)),
    `${pupilId}|${JSON.stringify(filter)}`,
  );
  const data = loaded.data;
  const challenge = stepUpChallenge(loaded.error);
  const stamp = data
    ? `Exported by ${data.exportedByName} at ${formatDateTime(data.exportedAt)}`
    : '';

  return (
    <section aria-labelledby="export-heading">
      <div className="no-print" style={{ display: 'flex', gap: 8 }}>
        <Button appearance="subtle" onClick={props.onBack}>
          ← Back to the chronology
        </Button>
        <Button appearance="primary" disabled={!data} onClick={() => window.print()}>
          Print or save as PDF
        </Button>
      </div>
      {loaded.loading && <Spinner size="tiny" label="Preparing the export…" />}
      {challenge && <StepUpPrompt api={api} challenge={challenge} onDone={loaded.reload} />}
      {loaded.error !== undefined && !challenge && <p role="alert">{messageOf(loaded.error)}</p>}
      {data && (
        <>
          <div className="print-header" aria-hidden="true">
            {stamp} · Confidential: safeguarding record
          </div>
          {/* A repeated table head keeps each printed page's content clear of the fixed header. */}
          <table role="presentation" className="print-layout">
            <thead>
              <tr>
                <td>
                  <div className="print-header-space" />
                </td>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>
                  <h1 id="export-heading">
                    Chronology: {data.pupil.displayName} ({data.pupil.yearGroup})
                  </h1>
                  <p data-testid="export-stamp">{stamp}</p>
                  {data.entries.length === 0 && <p>No entries match these filters.</p>}
                  {data.entries.map((entry) => (
                    <article key={entry.entryId} className="print-entry">
                      <h2>
                        {formatDate(entry.happenedAt)} · {entry.reference} ·{' '}
                        {entryTypeLabel(entry.type)}
                      </h2>
                      <p>
                        {entry.categoryNames.join(', ')} ·{' '}
                        {entry.status === 'open' ? 'Open' : 'Closed'} · recorded by{' '}
                        {entry.recordedByName} ·{' '}
                        {entry.pupilRole === 'subject' ? 'subject' : 'linked'}
                        {entry.amended ? ' · amended' : ''}
                      </p>
                      {NARRATIVE_LABELS.map(([field, label]) =>
                        entry[field] ? (
                          <p key={field} style={{ whiteSpace: 'pre-wrap' }}>
                            <strong>{label}:</strong> {entry[field]}
                          </p>
                        ) : null,
                      )}
                    </article>
                  ))}
                </td>
              </tr>
            </tbody>
          </table>
        </>
      )}
      {!data && <h1 id="export-heading">Export</h1>}
    </section>
  );
}
