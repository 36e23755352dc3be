import { Badge, Link, Spinner } from '@fluentui/react-components';
import { useEffect, type ReactNode } from 'react';
import type { ApiClient } from '../api-client';
import type { Desk } from '../api-types';
import { formatDate, formatDateTime, messageOf } from '../format';
import { useLoad } from '../use-load';
import { TransfersOnDesk } from './TransfersOnDesk';
import { DeskFlagsAndCases } from './DeskFlagsAndCases';

/** How often an open desk asks again, so a new concern appears without a reload. */
const REFRESH_MS = 30_000;

/** One list of the desk: a heading with its count, then its lines (or a calm "nothing"). */
function DeskList(props: { title: string; count: number; empty: string; children: ReactNode }) {
  const id = `desk-${props.title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id} style={{ marginBottom: 16 }}>
      <h2 id={id} style={{ fontSize: 16, margin: '0 0 4px' }}>
        {props.title} <Badge appearance="tint">{props.count}</Badge>
      </h2>
      {props.count === 0 ? (
        <p style={{ margin: 0 }}>{props.empty}</p>
      ) : (
        <ul aria-label={props.title} style={{ margin: 0, paddingLeft: 20 }}>
          {props.children}
        </ul>
      )}
    </section>
  );
}

/** A line that opens its record. */
function Line(props: { reference: string; onOpen: () => void; children: ReactNode }) {
  return (
    <li>
      <Link as="button" onClick={props.onOpen}>
        {props.reference}
      </Link>{' '}
      {props.children}
    </li>
  );
}

/**
 * The home of the tab. For the safeguarding team: what needs attention now (new concerns no one
 * has reviewed, alerts no one acknowledged, referrals waiting for a decision, tasks overdue or due
 * today). For everyone else: their recent records and their tasks. Asks again every 30 seconds.
 */
export function DeskView(props: {
  api: ApiClient;
  onOpenRecord: (incidentId: string) => void;
  onOpenSar?: (sarId: string) => void;
  onOpenRetention?: () => void;
}) {
  const loaded = useLoad(() => props.api.get<Desk>('desk'), 'desk');
  const { reload } = loaded;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const open = props.onOpenRecord;
  const desk = loaded.data;
  if (!desk) {
    return loaded.error !== undefined ? (
      <p role="alert">{messageOf(loaded.error)}</p>
    ) : (
      <Spinner size="tiny" label="Loading your desk…" />
    );
  }
  if (desk.kind === 'staff') {
    return (
      <section aria-labelledby="desk-heading">
        <h1 id="desk-heading">Your desk</h1>
        <DeskList title="Your tasks" count={desk.myTasks.length} empty="No open tasks.">
          {desk.myTasks.map((t) => (
            <Line key={t.actionId} reference={t.reference} onOpen={() => open(t.incidentId)}>
              {t.pupilName}: due {formatDateTime(t.dueAt)}
              {t.overdue ? ' (overdue)' : ''}
            </Line>
          ))}
        </DeskList>
        <DeskList
          title="Your records this month"
          count={desk.myRecords.length}
          empty="You have recorded nothing in the last 30 days."
        >
          {desk.myRecords.map((r) => (
            <Line key={r.incidentId} reference={r.reference} onOpen={() => open(r.incidentId)}>
              recorded {formatDateTime(r.recordedAt)}
            </Line>
          ))}
        </DeskList>
      </section>
    );
  }
  return (
    <section aria-labelledby="desk-heading">
      <h1 id="desk-heading">Needs attention</h1>
      <DeskList
        title="New concerns not reviewed"
        count={desk.newConcerns.length}
        empty="Every concern of the last 30 days has been reviewed."
      >
        {desk.newConcerns.map((c) => (
          <Line key={c.incidentId} reference={c.reference} onOpen={() => open(c.incidentId)}>
            {c.pupilName}: {c.categoryNames.join(', ')}; recorded {formatDateTime(c.recordedAt)} by{' '}
            {c.recordedByName}
          </Line>
        ))}
      </DeskList>
      <DeskList
        title="Alerts not acknowledged"
        count={desk.unacknowledgedAlerts.length}
        empty="No alert is waiting to be acknowledged."
      >
        {desk.unacknowledgedAlerts.map((a) => (
          <Line key={a.incidentId} reference={a.reference} onOpen={() => open(a.incidentId)}>
            {a.pupilName ? `${a.pupilName}: ` : ''}recorded {formatDateTime(a.recordedAt)}
            {a.escalationStep > 0 ? `; escalated ${a.escalationStep}×` : ''}
          </Line>
        ))}
      </DeskList>
      {desk.undeliverableAlerts > 0 && (
        // Only when there are some: the team tells these people another way (phone, in person).
        <DeskList
          title="Alerts that could not be delivered"
          count={desk.undeliverableAlerts}
          empty=""
        >
          {desk.undeliveredAlerts.map((a) => (
            <Line key={a.alertId} reference={a.reference} onOpen={() => open(a.incidentId)}>
              for {a.recipientName}, queued {formatDateTime(a.queuedAt)}: tell them another way
              {a.reason ? ` (${a.reason})` : ''}
            </Line>
          ))}
        </DeskList>
      )}
      <DeskList
        title="Referrals waiting for a decision"
        count={desk.referralsAwaitingDecision.length}
        empty="No referral is waiting for a decision."
      >
        {desk.referralsAwaitingDecision.map((r) => (
          <Line
            key={r.reference + r.referredAt}
            reference={r.reference}
            onOpen={() => open(r.incidentId)}
          >
            {r.pupilName}: referred to {r.agencyName} on {formatDate(r.referredAt)}; decision due{' '}
            {formatDateTime(r.decisionDueAt)}
            {r.overdue ? ' (overdue)' : ''}
          </Line>
        ))}
      </DeskList>
      <DeskList
        title="Tasks overdue or due today"
        count={desk.tasks.length}
        empty="No task is overdue or due today."
      >
        {desk.tasks.map((t) => (
          <Line key={t.actionId} reference={t.reference} onOpen={() => open(t.incidentId)}>
            {t.pupilName}: {t.assigneeName}, due {formatDateTime(t.dueAt)}
            {t.overdue ? ' (overdue)' : ''}
          </Line>
        ))}
      </DeskList>
      <DeskList
        title="Subject access requests"
        count={desk.subjectAccessRequests.length}
        empty="No subject access request is open."
      >
        {desk.subjectAccessRequests.map((s) => (
          <Line key={s.sarId} reference={s.reference} onOpen={() => props.onOpenSar?.(s.sarId)}>
            {s.pupilName}: received {formatDate(s.receivedAt)}; due by {formatDateTime(s.dueAt)}
            {s.extended ? ' (extended)' : ''}
            {s.overdue ? ' (overdue)' : ''}
          </Line>
        ))}
      </DeskList>
      {desk.retentionReviewsDue !== undefined && (
        <DeskList
          title="Records due for retention review"
          count={desk.retentionReviewsDue}
          empty="No record is due for retention review."
        >
          <li>
            {props.onOpenRetention ? (
              <Link as="button" onClick={props.onOpenRetention}>
                Review them on the retention page
              </Link>
            ) : (
              'Review them on the retention page.'
            )}
          </li>
        </DeskList>
      )}
      {desk.transfers && <TransfersOnDesk api={props.api} transfers={desk.transfers} />}
      <DeskFlagsAndCases api={props.api} desk={desk} onOpenRecord={open} onChanged={reload} />
    </section>
  );
}
