import { Button, Field, Input, Radio, RadioGroup, Spinner } from '@fluentui/react-components';
import { useId, useState } from 'react';
import { ApiError, type ApiClient } from '../api-client';
import type { PupilSummary, TransferImportCheck, TransferImported } from '../api-types';
import { formatDate, messageOf } from '../format';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

const MATCH_WORDS: Record<string, string> = {
  upn: 'UPN',
  name: 'name',
  'date-of-birth': 'date of birth',
};

/**
 * A child protection file from another school: choose the file (the encrypted .sgx with its
 * one-time code, or the .zip that came through the local authority), see what is wrong in words
 * or what it holds, confirm which pupil on our roll it is (proposed by UPN, or name and date of
 * birth; or found by name), then import. Nothing is kept until Import; the team, after step-up.
 */
export function TransferImport(props: {
  api: ApiClient;
  onBack: () => void;
  onOpenPupil: (pupilId: string) => void;
}) {
  const { api } = props;
  const fileInputId = useId();
  const [file, setFile] = useState<File | undefined>();
  const [code, setCode] = useState('');
  const [checked, setChecked] = useState<TransferImportCheck | undefined>();
  const [pupilId, setPupilId] = useState('');
  const [search, setSearch] = useState('');
  const [found, setFound] = useState<PupilSummary[]>([]);
  const [done, setDone] = useState<TransferImported | undefined>();
  const [problem, setProblem] = useState<unknown>();
  const [busy, setBusy] = useState<string | undefined>();

  const upload = async () => ({
    envelope: await base64Of(file!),
    ...(code.trim() ? { code: code.trim() } : {}),
  });
  const run = async (what: string, call: () => Promise<void>) => {
    setBusy(what);
    setProblem(undefined);
    try {
      await call();
    } catch (error) {
      // The file and the code stay chosen: fix what is wrong and try again.
      setProblem(error);
    } finally {
      setBusy(undefined);
    }
  };
  const check = () =>
    run('Checking the file…', async () => {
      setChecked(undefined);
      setDone(undefined);
      const answer = await api.post<TransferImportCheck>('transfers/import/check', await upload());
      setChecked(answer);
      setPupilId(answer.proposals.length === 1 ? (answer.proposals[0]?.pupilId ?? '') : '');
    });
  const find = () =>
    run('Finding pupils…', async () => {
      setFound((await api.get<{ pupils: PupilSummary[] }>('pupils', { q: search })).pupils);
    });
  const importIt = () =>
    run('Importing…', async () => {
      setDone(
        await api.post<TransferImported>('transfers/import', { ...(await upload()), pupilId }),
      );
    });
  const challenge = stepUpChallenge(problem);
  const sent = checked?.sentPupil;

  return (
    <section aria-labelledby="transfer-import" style={{ display: 'grid', gap: 8, maxWidth: 640 }}>
      <Button onClick={props.onBack} style={{ justifySelf: 'start' }}>
        Back
      </Button>
      <h1 id="transfer-import" style={{ fontSize: 20, margin: 0 }}>
        Import a child protection file from another school
      </h1>
      {/* A native file input (Fluent has none), labelled for screen readers by its own label. */}
      <label htmlFor={fileInputId} style={{ fontWeight: 600 }}>
        The file you received (.sgx, or .zip)
      </label>
      <input
        id={fileInputId}
        type="file"
        accept=".sgx,.zip,application/zip,application/octet-stream"
        onChange={(e) => {
          setFile(e.target.files?.[0]);
          setChecked(undefined);
          setDone(undefined);
        }}
      />
      <Field label="One-time code (given by phone; not needed for a .zip)">
        <Input value={code} onChange={(_, d) => setCode(d.value)} autoComplete="off" />
      </Field>
      <Button disabled={!file || Boolean(busy)} onClick={() => void check()}>
        Check the file
      </Button>
      {busy && <Spinner size="tiny" label={busy} />}
      {challenge && (
        <StepUpPrompt api={api} challenge={challenge} onDone={() => setProblem(undefined)} />
      )}
      {problem !== undefined && !challenge && (
        <p role="alert" style={{ margin: 0 }}>
          {problem instanceof ApiError && problem.status === 413
            ? 'The file is larger than this server accepts (TRANSFER_IMPORT_MAX_BYTES).'
            : messageOf(problem)}
        </p>
      )}
      {checked && sent && !done && (
        <div role="region" aria-label="What the file holds" style={{ display: 'grid', gap: 6 }}>
          <p style={{ margin: 0 }}>
            From <strong>{checked.summary.fromSchool}</strong>, sent{' '}
            {formatDate(checked.exportedAt)}: {checked.summary.records} records (
            {checked.summary.versions} versions), {checked.summary.actions} actions,{' '}
            {checked.summary.files} files
            {checked.summary.otherPupilsNamed > 0
              ? `; ${checked.summary.otherPupilsNamed} other children named`
              : ''}
            {checked.summary.sen ? '; flags SEN (your SENCo will be told)' : ''}.
          </p>
          <p style={{ margin: 0 }}>
            The child as they sent it: {sent.legalFirstName} {sent.legalLastName}, born{' '}
            {formatDate(sent.dateOfBirth)}, {sent.yearGroup}
            {sent.upn ? `, UPN ${sent.upn}` : ''}.
          </p>
          {checked.alreadyImported && (
            <p role="status" style={{ margin: 0 }}>
              This file has already been imported; importing it again changes nothing.
            </p>
          )}
          <RadioGroup
            aria-label="Which pupil on your roll this file is for"
            value={pupilId}
            onChange={(_, d) => setPupilId(d.value)}
          >
            {checked.proposals.map((p) => (
              <Radio
                key={p.pupilId}
                value={p.pupilId}
                label={`${p.displayName} (${p.yearGroup}, born ${formatDate(p.dateOfBirth)}): same ${p.matchedOn.map((m) => MATCH_WORDS[m] ?? m).join(', ')}`}
              />
            ))}
            {found
              .filter((f) => !checked.proposals.some((p) => p.pupilId === f.pupilId))
              .map((f) => (
                <Radio
                  key={f.pupilId}
                  value={f.pupilId}
                  label={`${f.displayName} (${f.yearGroup})`}
                />
              ))}
          </RadioGroup>
          {checked.proposals.length === 0 && (
            <p style={{ margin: 0 }}>
              No pupil on your roll has the same UPN, or name and date of birth.
            </p>
          )}
          <Field label="Or find the pupil by name">
            <Input value={search} onChange={(_, d) => setSearch(d.value)} />
          </Field>
          <Button disabled={!search.trim() || Boolean(busy)} onClick={() => void find()}>
            Find
          </Button>
          <Button
            appearance="primary"
            disabled={!pupilId || Boolean(busy)}
            onClick={() => void importIt()}
          >
            Import for the pupil chosen
          </Button>
        </div>
      )}
      {done && (
        <p role="status" style={{ margin: 0 }}>
          {done.imported ? 'Imported' : 'Already imported'}: {done.records} records from{' '}
          {done.fromSchool}. They are in the pupil&apos;s chronology as transferred in.{' '}
          <Button size="small" onClick={() => props.onOpenPupil(pupilId)}>
            Open the pupil&apos;s chronology
          </Button>
        </p>
      )}
    </section>
  );
}

/** The file's bytes as base64, read in the browser (never stored there). */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
