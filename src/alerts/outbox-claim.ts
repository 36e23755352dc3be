import type { Clock } from '../shared/clock';
import type { AlertRepository } from './alert.repository';
import type { Alert } from './alert.types';
import type { AlertSendRepository, UnconfirmedSend } from './alert-sends.repository';
import type { DeliveryJournal } from './delivery-journal';
import type { Lease } from './lease-claims';
import { chatKeyOf, type SendPacing } from './send-pacing';

/**
 * How long a claim on an alert lasts. Longer than a send may take (the channel gives each send a
 * 15 s deadline), so a live send never loses its lease; a crashed instance's alerts are picked up
 * again after it.
 */
export const DEFAULT_LEASE_MS = 30_000;
/** At most this many alerts of one chat are claimed at a time (the rest wait in the outbox). */
const CLAIM_PER_CHAT = 4;

/** An alert this instance holds a lease on, re-read under that lease, waiting for its slot. */
export interface Claimed {
  readonly alert: Alert;
  readonly lease: Lease;
  readonly leaseEndsAt: number;
  /** Earlier sends of it whose outcome was never written (a crash): a copy may be in the chat. */
  readonly unconfirmed?: readonly UnconfirmedSend[];
}

/** What a look at the outbox found: some claimed; due alerts the limits hold back; or nothing. */
export type ClaimFound = 'claimed' | 'paced' | 'none';

/** Counts a look at the outbox adds to (the worker's pass result). */
export interface ClaimTally {
  postponed: number;
  skipped: number;
}

export interface OutboxClaimOptions {
  repository: Pick<AlertRepository, 'findDue' | 'get' | 'deliveryOf'> & {
    sends: Pick<AlertSendRepository, 'unconfirmed'>;
  };
  journal: Pick<DeliveryJournal, 'claim' | 'release' | 'markSent' | 'recordSend'>;
  pacing: Pick<SendPacing, 'slotAt'>;
  clock: Clock;
  /** This instance's name on its leases. */
  owner: string;
  leaseMs: number;
  /** Alerts claimed by one look at the outbox. */
  batchSize: number;
  logError: (error: unknown) => void;
}

/**
 * Takes due alerts from the outbox, once across instances: a batch at a time (one read of the
 * outbox, one read and one insert of leases; an alert is re-read by id only if it had an earlier
 * lease). Knows which alerts this instance holds, so a look never claims one twice.
 */
export class OutboxClaim {
  /** Alerts this instance holds: queued, being sent, or having their outcome written. */
  private readonly held = new Set<string>();
  /** Alerts finished since the current look at the outbox began (it may still see them pending). */
  private readonly finished = new Set<string>();

  constructor(private readonly options: OutboxClaimOptions) {}

  /**
   * Claims due alerts that the rate limits would let go within `aheadMs` (counting those already
   * `queued` per chat) and re-reads them under their leases; returns the ones still pending.
   */
  async claim(
    queued: readonly Claimed[],
    aheadMs: number,
    tally: ClaimTally,
  ): Promise<{ found: ClaimFound; claimed: Claimed[] }> {
    const { repository, journal, pacing, clock, batchSize: wanted } = this.options;
    const now = clock.now();
    // Enough to see past what this instance already holds (still pending in the store).
    this.finished.clear();
    const due = await repository.findDue(now, wanted * 2 + this.held.size);
    if (due.length === 0) return { found: 'none', claimed: [] };
    const perChat = new Map<string, number>();
    for (const item of queued) countChat(perChat, item.alert);
    const chosen: Alert[] = [];
    let paced = false;
    for (const alert of due) {
      if (this.held.has(alert.alertId) || this.finished.has(alert.alertId)) continue;
      if (chosen.length >= wanted) break;
      // Pace first, in memory: an alert that must wait costs no store work and simply stays due.
      const queuedForChat = perChat.get(chatKeyOf(alert)) ?? 0;
      if (queuedForChat >= CLAIM_PER_CHAT || pacing.slotAt(alert, now) > now.getTime() + aheadMs) {
        tally.postponed++;
        paced = true;
        continue;
      }
      countChat(perChat, alert);
      chosen.push(alert);
    }
    if (chosen.length === 0) return { found: paced ? 'paced' : 'none', claimed: [] };
    const won = await journal.claim(
      chosen.map((a) => leaseKeyOf(a.alertId)),
      this.options.owner,
      this.options.leaseMs,
      now,
    );
    const leaseOf = new Map(won.map((l) => [l.key, l]));
    tally.skipped += chosen.length - won.length;
    const fresh = await Promise.all(
      chosen.map(async (candidate): Promise<Claimed | undefined> => {
        const lease = leaseOf.get(leaseKeyOf(candidate.alertId));
        if (!lease) return undefined;
        // Only a lease holder changes an alert's delivery state, so under a first lease the copy
        // just read is current. After earlier leases, re-read: another instance may have finished
        // it (or rescheduled it) since the query.
        const alert = lease.leaseNo === 1 ? candidate : await repository.get(candidate.alertId);
        // A journalled send whose alert was never marked (its sender stopped in between): mark
        // it. Read beside it: sends whose outcome was never written (stopped between Teams'
        // answer and the journal), one of them perhaps already seen in its chat.
        const [journalled, unconfirmed] =
          alert?.status === 'pending' && lease.leaseNo > 1
            ? await Promise.all([
                repository.deliveryOf(alert.alertId),
                repository.sends.unconfirmed(alert.alertId, alert.attempts),
              ])
            : [undefined, []];
        const seen = journalled ? undefined : seenCopyOf(unconfirmed);
        if (!alert || alert.status !== 'pending' || journalled || seen) {
          tally.skipped++;
          if (journalled) await journal.markSent(journalled).catch(this.options.logError);
          if (seen) await this.completeSeen(seen).catch(this.options.logError);
          await journal.release(lease);
          return undefined;
        }
        return {
          alert,
          lease,
          leaseEndsAt: lease.expiresAt.getTime(),
          ...(unconfirmed.length > 0 ? { unconfirmed } : {}),
        };
      }),
    );
    const claimed = fresh.filter((c): c is Claimed => c !== undefined);
    for (const c of claimed) this.held.add(c.alert.alertId);
    return { found: won.length > 0 ? 'claimed' : paced ? 'paced' : 'none', claimed };
  }

  /** A copy already seen in its chat is the send that counts: journal it, mark the alert sent. */
  private async completeSeen(
    seen: UnconfirmedSend & { copy: NonNullable<UnconfirmedSend['copy']> },
  ) {
    const delivery = {
      alertId: seen.alertId,
      activityId: seen.copy.activityId,
      conversationId: seen.copy.conversationId,
      sentAt: seen.copy.seenAt,
      attempts: seen.attempt,
      sendId: seen.sendId,
    };
    await this.options.journal.recordSend(delivery);
    await this.options.journal.markSent(delivery);
  }

  /** The alert's delivery is over (whatever came of it): a look under way must not take it. */
  finish(alertId: string): void {
    this.held.delete(alertId);
    this.finished.add(alertId);
  }

  /** Hands claims back unsent, so another look (here or elsewhere) can take them at once. */
  async release(items: readonly Claimed[]): Promise<void> {
    await Promise.all(
      items.map(async ({ alert, lease }) => {
        await this.options.journal.release(lease);
        this.held.delete(alert.alertId);
      }),
    );
  }
}

function leaseKeyOf(alertId: string): string {
  return `alert:${alertId}`;
}

function seenCopyOf(
  unconfirmed: readonly UnconfirmedSend[],
): (UnconfirmedSend & { copy: NonNullable<UnconfirmedSend['copy']> }) | undefined {
  return unconfirmed.find(
    (u): u is UnconfirmedSend & { copy: NonNullable<UnconfirmedSend['copy']> } => Boolean(u.copy),
  );
}

function countChat(perChat: Map<string, number>, alert: Alert): void {
  const chat = chatKeyOf(alert);
  perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
}
