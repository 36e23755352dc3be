import type { Clock } from '../shared/clock';
import { AppError, isDuplicateKeyError } from '../shared/errors';
import { KeyedLock } from '../shared/keyed-lock';
import type { SchoolScope } from '../shared/school-scope';
import { hashAuditEvent } from './audit-hash';
import type { AuditEvent, AuditEventInput, AuditTrail } from './audit.types';

/** What the trail needs from storage (AuditRepository provides it). */
export interface AuditStore {
  insert(event: AuditEvent): Promise<void>;
  findBySequence(scope: SchoolScope, sequence: number): Promise<AuditEvent | undefined>;
  highestSequence(scope: SchoolScope): Promise<number>;
}

interface ChainHead {
  readonly sequence: number;
  readonly hash: string;
}

const MAX_CLAIM_ATTEMPTS = 20;
const MAX_REASON_LENGTH = 500;

/**
 * The append-only, hash-chained audit trail of each school. Events are numbered 1, 2, 3 … per
 * school and each carries the hash of the one before, so `npm run audit:verify` can name the first
 * event that was altered, removed or inserted. Several instances may write: a sequence is claimed
 * by inserting against the primary key, and a clash means another instance wrote first, so we read
 * forward to the new head and try again.
 */
export class AuditLog implements AuditTrail {
  private readonly lock = new KeyedLock();
  // The head of each school's chain as this process last wrote or read it: saves a scan per event.
  private readonly heads = new Map<string, ChainHead>();

  constructor(
    private readonly store: AuditStore,
    private readonly clock: Clock,
  ) {}

  async record(input: AuditEventInput): Promise<void> {
    const key = `${input.tenantId}|${input.schoolId}`;
    await this.lock.run(key, async () => {
      let head = this.heads.get(key) ?? (await this.findHead(input, 0));
      for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt += 1) {
        const unhashed = {
          tenantId: input.tenantId,
          schoolId: input.schoolId,
          actorAadObjectId: input.actorAadObjectId,
          action: input.action,
          target: { kind: input.target.kind, id: input.target.id },
          ...(input.reason !== undefined
            ? { reason: input.reason.slice(0, MAX_REASON_LENGTH) }
            : {}),
          ...(input.requestId !== undefined ? { requestId: input.requestId.slice(0, 200) } : {}),
          sequence: head.sequence + 1,
          at: this.clock.now(),
          previousHash: head.hash,
        };
        const event: AuditEvent = { ...unhashed, hash: hashAuditEvent(unhashed) };
        try {
          await this.store.insert(event);
          this.heads.set(key, { sequence: event.sequence, hash: event.hash });
          return;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          head = await this.findHead(input, head.sequence);
        }
      }
      throw new AppError('AUDIT.CONTENDED', 'could not claim an audit sequence');
    });
  }

  /**
   * The newest event at or after `from`: the first time a school is seen, one scan for the highest
   * sequence; after a clash, a walk forward by primary key (another instance wrote a few).
   */
  private async findHead(scope: SchoolScope, from: number): Promise<ChainHead> {
    let sequence = from === 0 ? await this.store.highestSequence(scope) : from;
    let event = sequence > 0 ? await this.store.findBySequence(scope, sequence) : undefined;
    for (;;) {
      const next = await this.store.findBySequence(scope, sequence + 1);
      if (!next) break;
      event = next;
      sequence += 1;
    }
    return { sequence, hash: event?.hash ?? '' };
  }
}
