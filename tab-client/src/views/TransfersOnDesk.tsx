import { Badge, Button, Field, Input, Link, Spinner } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../api-client';
import type { Desk, PupilSummary, Transfer, TransferSent } from '../api-types';
import { formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { StepUpPrompt, stepUpChallenge } from './StepUpPrompt';

type DeskTransfer = NonNullable<Extract<Desk, { kind: 'team' }>['transfers']>[number];

const STATE_LABELS: Record<DeskTransfer['state'], string> = {
  'awaiting-send': 'to send',
  'awaiting-receipt': 'sent, no receipt yet',
  received: 'received',
};

/**
 * Leavers' child protection files on the desk: each due by 5 school days; a line opens the
 * transfer to record the advance notice, send the file (the link and the one-time code are shown
 * once) and read the sent log. Every call is the team's, after step-up.
 */
export function TransfersOnDesk(props: { api: ApiClient; transfers: readonly DeskTransfer[] }) {
  const [openId, setOpenId] = useState<string | undefined>();
  const id = 'desk-transfers';
  return (
    <section aria-labelledby={id} style={{ marginBottom: 16 }}>
      <h2 id={id} style={{ fontSize: 16, margin: '0 0 4px' }}>
        Child protection files to transfer <Badge appearance="tint">{props.transfers.length}</Badge>
      </h2>
      <StartTransfer api={props.api} />
      {props.transfers.length === 0 ? (
        <p style={{ margin: 0 }}>No leaver&apos;s file is waiting to go or to be received.</p>
      ) : (
        <ul aria-label="Child protection files to transfer" style={{ margin: 0, paddingLeft: 20 }}>
          {props.transfers.map((t) => (
            <li key={t.transferId}>
              <Link
                as="button"
                onClick={() => setOpenId(openId === t.transferId ? undefined : t.transferId)}
              >
                {t.pupilName}
              </Link>{' '}
              {t.destinationSchool ? `to ${t.destinationSchool}, ` : ''}
              {STATE_LABELS[t.state]}; due {formatDateTime(t.dueBy)}
              {t.overdue
                ? ` (overdue${t.chasesDue > 0 ? `: chase the next school, ${t.chasesDue}×` : ''})`
                : ''}
              {openId === t.transferId && (
                <TransferDetail api={props.api} transferId={t.transferId} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** One transfer: the advance notice, the send form, the sent log and the receipt. */
function TransferDetail(props: { api: ApiClient; transferId: string }) {
  const path = `transfers/${encodeURIComponent(props.transferId)}`;
  const loaded = useLoad(() => props.api.get<Transfer>(path), props.transferId);
  const [notice, setNotice] = useState('');
  const [recipientName, setRecipientName] = useState('');
  const [recipientSchool, setRecipientSchool] = useState('');
  const [sent, setSent] = useState<TransferSent | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const challenge = stepUpChallenge(loaded.error);
  if (loaded.loading) return <Spinner size="tiny" label="Loading the transfer…" />;
  if (challenge)
    return <StepUpPrompt api={props.api} challenge={challenge} onDone={loaded.reload} />;
  const transfer = loaded.data;
  if (!transfer) return <p role="alert">{messageOf(loaded.error)}</p>;

  const act = async (call: () => Promise<unknown>) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await call();
      loaded.reload();
    } catch (error) {
      // What was typed stays in the boxes.
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ margin: '6px 0 12px', display: 'grid', gap: 8, maxWidth: 560 }}>
      {problem && <p role="alert">{problem}</p>}
      <p style={{ margin: 0 }}>
        {transfer.notice
          ? `Next school told ${formatDateTime(transfer.notice.at)} by ${transfer.notice.by.displayName}: ${transfer.notice.how}`
          : 'The next school has not been told yet.'}
      </p>
      {!transfer.notice && (
        <Field label="How the next school was told (e.g. phone call to their DSL)">
          <Input value={notice} onChange={(_, d) => setNotice(d.value)} />
        </Field>
      )}
      {!transfer.notice && (
        <Button
          disabled={busy || !notice.trim()}
          onClick={() => act(() => props.api.post(`${path}/notice`, { how: notice }))}
        >
          Record the advance notice
        </Button>
      )}
      {sent && (
        <div role="status">
          <p style={{ margin: 0 }}>
            Sent. Give the receiving DSL this link, and the code <strong>by phone</strong> (a second
            channel). Both are shown only now.
          </p>
          <p style={{ margin: 0 }}>
            Link: <code>{sent.downloadUrl}</code>
          </p>
          <p style={{ margin: 0 }}>
            One-time code: <code>{sent.oneTimeCode}</code>
          </p>
          <p style={{ margin: 0 }}>Works until {formatDateTime(sent.expiresAt)}.</p>
        </div>
      )}
      {!transfer.receipt && !sent && (
        <>
          <Field label="Receiving DSL's name">
            <Input value={recipientName} onChange={(_, d) => setRecipientName(d.value)} />
          </Field>
          <Field label="Receiving school">
            <Input value={recipientSchool} onChange={(_, d) => setRecipientSchool(d.value)} />
          </Field>
          <Button
            appearance="primary"
            disabled={busy || !recipientName.trim() || !recipientSchool.trim()}
            onClick={() =>
              act(async () =>
                setSent(
                  await props.api.post<TransferSent>(`${path}/send`, {
                    recipientName,
                    recipientSchool,
                  }),
                ),
              )
            }
          >
            Send the file securely
          </Button>
        </>
      )}
      {transfer.sent.length > 0 && (
        <ul aria-label="Sent log" style={{ margin: 0, paddingLeft: 20 }}>
          {transfer.sent.map((s) => (
            <li key={s.sha256}>
              {formatDateTime(s.sentAt)}: {s.contents.records} record(s), {s.contents.files} file(s)
              to {s.recipientName}, {s.recipientSchool} by {s.sentBy.displayName}; SHA-256{' '}
              <code>{s.sha256.slice(0, 16)}…</code>
            </li>
          ))}
        </ul>
      )}
      {transfer.receipt && (
        <p role="status" style={{ margin: 0 }}>
          Received {formatDateTime(transfer.receipt.receivedAt)} by {transfer.receipt.name} (
          {transfer.receipt.role}, {transfer.receipt.school}).
        </p>
      )}
    </div>
  );
}

/**
 * The team starts a transfer for a pupil the MIS has not marked as leaving yet: find the pupil,
 * say where they go (optional), and the clock starts (the desk shows it at its next refresh).
 */
function StartTransfer(props: { api: ApiClient }) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<PupilSummary[]>([]);
  const [school, setSchool] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const search = async () => {
    setMessage(undefined);
    try {
      setFound((await props.api.get<{ pupils: PupilSummary[] }>('pupils', { q: query })).pupils);
    } catch (error) {
      setMessage(messageOf(error));
    }
  };
  const start = async (pupil: PupilSummary) => {
    try {
      const opened = await props.api.post<Transfer>('transfers', {
        pupilId: pupil.pupilId,
        ...(school.trim() ? { destinationSchool: school.trim() } : {}),
      });
      setFound([]);
      setMessage(`Transfer started for ${pupil.displayName}: due ${formatDateTime(opened.dueBy)}.`);
    } catch (error) {
      setMessage(messageOf(error));
    }
  };
  return (
    <details style={{ margin: '0 0 8px' }}>
      <summary>Start a transfer for a leaver</summary>
      <div style={{ display: 'grid', gap: 6, maxWidth: 560, marginTop: 6 }}>
        <Field label="Pupil (name or MIS id)">
          <Input value={query} onChange={(_, d) => setQuery(d.value)} />
        </Field>
        <Field label="Next school (if known)">
          <Input value={school} onChange={(_, d) => setSchool(d.value)} />
        </Field>
        <Button disabled={!query.trim()} onClick={() => void search()}>
          Find the pupil
        </Button>
        {message && <p role="status">{message}</p>}
        {found.length > 0 && (
          <ul aria-label="Pupils found" style={{ margin: 0, paddingLeft: 20 }}>
            {found.map((p) => (
              <li key={p.pupilId}>
                <Link as="button" onClick={() => void start(p)}>
                  Start for {p.displayName}
                </Link>{' '}
                ({p.yearGroup})
              </li>
            ))}
          </ul>
        )}
      </div>
    </details>
  );
}
