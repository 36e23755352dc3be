import { Button, Field, Input, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { Report, ReportFile } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { ReportTableView } from './ReportTableView';

/** An empty period: the server fills in this school year. */
const THIS_YEAR = { from: '', to: '' };

/**
 * Reports for a chosen period: headline figures, each table with its bars, timeliness against the
 * school's targets, and export as CSV or PDF. Counts only: no report names a child. Governors see
 * small numbers suppressed (the server decides, from the roles in our directory).
 */
export function ReportsView(props: { api: ApiClient; onBack?: () => void }) {
  const [period, setPeriod] = useState(THIS_YEAR);
  const [draft, setDraft] = useState(THIS_YEAR);
  const [exporting, setExporting] = useState<string>();
  const [exportError, setExportError] = useState<string>();
  const loaded = useLoad(
    () => props.api.get<Report>('reports', period),
    `${period.from}|${period.to}`,
  );
  const report = loaded.data;

  const download = async (format: 'csv' | 'pdf') => {
    setExporting(format);
    setExportError(undefined);
    try {
      const file = await props.api.get<ReportFile>('reports/export', { ...period, format });
      saveFile(file);
    } catch (error) {
      setExportError(messageOf(error));
    } finally {
      setExporting(undefined);
    }
  };

  return (
    <section aria-labelledby="reports-heading">
      <h1 id="reports-heading">Safeguarding reports</h1>
      {props.onBack && (
        <Button appearance="subtle" onClick={props.onBack} className="no-print">
          Back
        </Button>
      )}
      <form
        aria-label="Period"
        className="no-print"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 12,
          alignItems: 'flex-end',
          margin: '8px 0 16px',
        }}
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(draft);
        }}
      >
        <Field label="From">
          <Input
            type="date"
            value={draft.from}
            onChange={(_, d) => setDraft({ ...draft, from: d.value })}
          />
        </Field>
        <Field label="To">
          <Input
            type="date"
            value={draft.to}
            onChange={(_, d) => setDraft({ ...draft, to: d.value })}
          />
        </Field>
        <Button type="submit" appearance="primary">
          Show
        </Button>
        <Button
          onClick={() => {
            setDraft(THIS_YEAR);
            setPeriod(THIS_YEAR);
          }}
        >
          This school year
        </Button>
        <Button disabled={!report || Boolean(exporting)} onClick={() => void download('csv')}>
          Export CSV
        </Button>
        <Button disabled={!report || Boolean(exporting)} onClick={() => void download('pdf')}>
          Export PDF
        </Button>
      </form>
      {exporting && <Spinner size="tiny" label={`Preparing the ${exporting.toUpperCase()}…`} />}
      {exportError && <p role="alert">{exportError}</p>}
      {!report &&
        (loaded.error !== undefined ? (
          <p role="alert">{messageOf(loaded.error)}</p>
        ) : (
          <Spinner size="tiny" label="Counting…" />
        ))}
      {report && <ReportBody report={report} />}
    </section>
  );
}

function ReportBody({ report }: { report: Report }) {
  return (
    <>
      <p>
        {report.schoolName}: {report.period.from} to {report.period.to}.{' '}
        {report.audience === 'governor'
          ? 'Governors’ view: aggregates only, small numbers suppressed.'
          : 'Full counts.'}{' '}
        Counted {formatDateTime(report.generatedAt)}.
      </p>
      {report.suppressionNote && (
        <p role="note" style={{ fontStyle: 'italic' }}>
          {report.suppressionNote}
        </p>
      )}
      <h2 style={{ fontSize: 17 }}>Headline</h2>
      <dl
        style={{ display: 'grid', gridTemplateColumns: 'max-content max-content', gap: '2px 16px' }}
      >
        {report.headline.map((h) => (
          <div key={h.label} style={{ display: 'contents' }}>
            <dt>{h.label}</dt>
            <dd style={{ margin: 0, fontWeight: 600 }}>{h.value}</dd>
          </div>
        ))}
      </dl>
      <h2 style={{ fontSize: 17 }}>Tables</h2>
      {report.tables.map((t) => (
        <ReportTableView key={t.id} table={t} />
      ))}
      <h2 style={{ fontSize: 17 }}>Timeliness against the school’s targets</h2>
      <table style={{ borderCollapse: 'collapse', fontSize: 13 }}>
        <thead>
          <tr>
            <th scope="col" style={{ textAlign: 'left', padding: '2px 8px' }}>
              Measure
            </th>
            {[
              'Target (min)',
              'Median (min)',
              '90th percentile (min)',
              'Within target',
              'Over target',
              'Waiting',
            ].map((h) => (
              <th key={h} scope="col" style={{ padding: '2px 8px' }}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.timeliness.map((t) => (
            <tr key={t.label}>
              <th
                scope="row"
                style={{ textAlign: 'left', padding: '2px 8px', fontWeight: 'normal' }}
              >
                {t.label}
              </th>
              {[
                t.targetMinutes,
                t.medianMinutes,
                t.p90Minutes,
                t.withinTarget,
                t.overTarget,
                t.waiting,
              ].map((v, i) => (
                <td key={i} style={{ padding: '2px 8px', textAlign: 'right' }}>
                  {v ?? '–'}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Hands the export to the browser as a download (kept in memory only until it is saved). */
function saveFile(file: ReportFile): void {
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
