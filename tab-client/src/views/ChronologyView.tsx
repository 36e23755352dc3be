import {
  Badge,
  Button,
  Field,
  Input,
  Link,
  Select,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { filterParams, type ApiClient } from '../api-client';
import {
  ENTRY_TYPES,
  NO_FILTER,
  type ChartData,
  type ChronologyEntry,
  type ChronologyFilter,
  type ChronologyPage,
  type TransferredInLink,
} from '../api-types';
import { entryTypeLabel, formatDate, messageOf } from '../format';
import { useLoad } from '../use-load';
import { CategoryChart } from './CategoryChart';
import { PupilStatusPanel } from './PupilStatusPanel';

const PAGE_SIZE = '25';

/** A pupil's chronology: filters, entries newest first, "Load more" by cursor, and the chart. */
export function ChronologyView(props: {
  api: ApiClient;
  pupilId: string;
  /** Kept by the caller, so coming back from a record keeps the filters. */
  filter: ChronologyFilter;
  onFilter: (filter: ChronologyFilter) => void;
  onBack: () => void;
  onOpenRecord: (incidentId: string) => void;
  /** A record another school sent opens in its own read-only view. */
  onOpenTransferred?: (link: TransferredInLink) => void;
  onExport: () => void;
  /** The safeguarding team also sees and changes the pupil's status at the head. */
  isTeam: boolean;
}) {
  const { api, pupilId, filter } = props;
  const [more, setMore] = useState<ChronologyEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<string>();
  const path = `pupils/${encodeURIComponent(pupilId)}`;
  const first = useLoad(
    () =>
      api.get<ChronologyPage>(`${path}/chronology`, { limit: PAGE_SIZE, ...filterParams(filter) }),
    `${pupilId}|${JSON.stringify(filter)}`,
  );
  const chart = useLoad(() => api.get<ChartData>(`${path}/chart`), pupilId);

  useEffect(() => {
    setMore([]);
    setCursor(first.data?.nextCursor ?? null);
  }, [first.data]);

  const loadMore = async () => {
    if (!cursor) return;
    try {
      const page = await api.get<ChronologyPage>(`${path}/chronology`, {
        limit: PAGE_SIZE,
        cursor,
        ...filterParams(filter),
      });
      setMore((m) => [...m, ...page.entries]);
      setCursor(page.nextCursor);
    } catch (e) {
      setMoreError(messageOf(e));
    }
  };

  const page = first.data;
  const entries = page ? [...page.entries, ...more] : [];
  const set = (patch: Partial<ChronologyFilter>) => props.onFilter({ ...filter, ...patch });

  return (
    <section aria-labelledby="chronology-heading">
      <Button appearance="subtle" onClick={props.onBack}>
        ← Back to search
      </Button>
      <h1 id="chronology-heading">
        Chronology{page ? `: ${page.pupil.displayName} (${page.pupil.yearGroup})` : ''}
      </h1>
      {first.error !== undefined && <p role="alert">{messageOf(first.error)}</p>}
      {props.isTeam && page && <PupilStatusPanel api={api} pupilId={pupilId} />}

      <form
        aria-label="Filter the chronology"
        style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'end' }}
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Category">
          <Select value={filter.categoryId} onChange={(_, d) => set({ categoryId: d.value })}>
            <option value="">All categories</option>
            {page?.categories.map((c) => (
              <option key={c.categoryId} value={c.categoryId}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Entry type">
          <Select
            value={filter.type}
            onChange={(_, d) => set({ type: d.value as ChronologyFilter['type'] })}
          >
            <option value="">All types</option>
            {ENTRY_TYPES.map((t) => (
              <option key={t} value={t}>
                {entryTypeLabel(t)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="From">
          <Input type="date" value={filter.from} onChange={(_, d) => set({ from: d.value })} />
        </Field>
        <Field label="To">
          <Input type="date" value={filter.to} onChange={(_, d) => set({ to: d.value })} />
        </Field>
        <Button onClick={() => props.onFilter(NO_FILTER)}>Clear filters</Button>
        <Button appearance="primary" onClick={props.onExport}>
          Export / print
        </Button>
      </form>

      {first.loading && <Spinner size="tiny" label="Loading the chronology…" />}
      {page && (
        <>
          <h2>Entries</h2>
          {entries.length === 0 ? (
            <p>No entries you can see match these filters.</p>
          ) : (
            <Table aria-label="Chronology entries" size="small">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>Date</TableHeaderCell>
                  <TableHeaderCell>Type</TableHeaderCell>
                  <TableHeaderCell>Categories</TableHeaderCell>
                  <TableHeaderCell>Reference</TableHeaderCell>
                  <TableHeaderCell>Status</TableHeaderCell>
                  <TableHeaderCell>Recorded by</TableHeaderCell>
                  <TableHeaderCell>Pupil is</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {entries.map((entry) => (
                  <TableRow key={entry.entryId} data-testid="chronology-entry">
                    <TableCell>{formatDate(entry.happenedAt)}</TableCell>
                    <TableCell title={entry.title}>{entryTypeLabel(entry.type)}</TableCell>
                    <TableCell>{entry.categoryNames.join(', ')}</TableCell>
                    <TableCell>
                      <Link
                        onClick={() =>
                          entry.transferredIn
                            ? props.onOpenTransferred?.(entry.transferredIn)
                            : props.onOpenRecord(entry.incidentId)
                        }
                      >
                        {entry.reference}
                      </Link>
                      {entry.transferredIn && <div style={{ fontSize: 12 }}>{entry.title}</div>}
                      {entry.amended && (
                        <Badge appearance="outline" style={{ marginLeft: 6 }}>
                          Amended
                        </Badge>
                      )}
                      {entry.reviewed === false && (
                        <Badge appearance="tint" color="warning" style={{ marginLeft: 6 }}>
                          Not reviewed
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell>{entry.status === 'open' ? 'Open' : 'Closed'}</TableCell>
                    <TableCell>{entry.recordedByName}</TableCell>
                    <TableCell>{entry.pupilRole === 'subject' ? 'Subject' : 'Linked'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {cursor && <Button onClick={() => void loadMore()}>Load more</Button>}
          {moreError && <p role="alert">{moreError}</p>}
        </>
      )}

      <h2>Entries by category per month</h2>
      {chart.data ? (
        <CategoryChart data={chart.data} />
      ) : chart.error !== undefined ? (
        <p role="alert">{messageOf(chart.error)}</p>
      ) : (
        <Spinner size="tiny" label="Loading the chart…" />
      )}
    </section>
  );
}
