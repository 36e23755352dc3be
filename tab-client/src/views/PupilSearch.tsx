import { Button, Field, SearchBox, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { PupilSummary } from '../api-types';
import { messageOf } from '../format';

/** Finds a pupil at the user's school by name or MIS id. */
export function PupilSearch({
  api,
  onOpen,
}: {
  api: ApiClient;
  onOpen: (pupilId: string) => void;
}) {
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<PupilSummary[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const search = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResults((await api.get<{ pupils: PupilSummary[] }>('pupils', { q: query })).pupils);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="search-heading">
      <h1 id="search-heading">Find a pupil</h1>
      <form
        role="search"
        style={{ display: 'flex', gap: 8, alignItems: 'end', maxWidth: 560 }}
        onSubmit={(event) => {
          event.preventDefault();
          void search();
        }}
      >
        <Field label="Pupil name or MIS id" style={{ flex: 1 }}>
          <SearchBox value={query} onChange={(_, data) => setQuery(data.value)} />
        </Field>
        <Button type="submit" appearance="primary" disabled={busy}>
          Search
        </Button>
      </form>
      {busy && <Spinner size="tiny" label="Searching…" />}
      {error && <p role="alert">{error}</p>}
      {results && (
        <>
          <h2>{results.length === 0 ? 'No pupils found' : `Pupils (${results.length})`}</h2>
          <ul aria-label="Pupils found" style={{ listStyle: 'none', padding: 0 }}>
            {results.map((pupil) => (
              <li key={pupil.pupilId} style={{ margin: '4px 0' }}>
                <Button appearance="subtle" onClick={() => onOpen(pupil.pupilId)}>
                  {pupil.displayName} · {pupil.yearGroup} · {pupil.pupilId}
                </Button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
