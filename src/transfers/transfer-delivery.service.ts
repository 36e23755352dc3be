import { createHash, randomBytes } from 'node:crypto';
import type { AccessActor } from '../access';
import { auditEvent, type AuditTrail } from '../audit';
import type { DomainEvents } from '../events';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import type { SchoolScope } from '../shared/school-scope';
import { packArchive } from './transfer-archive';
import { newOneTimeCode, openArchive, sealArchive } from './transfer-envelope';
import type { TransferLink, TransferLinkRepository } from './transfer-link.repository';
import type { TransferredFileStore } from './transferred-in.repository';
import { buildTransferPackage } from './transfer-package.builder';
import type { PackageSources } from './transfer-package.sources';
import { receiptFormSchema, sendTransferSchema } from './transfer.schemas';
import type { TransferRepository } from './transfer.repository';
import type { TransferLine, TransferService } from './transfer.service';

/** How long the receiving school has to open the link, and to download after the receipt. */
const LINK_DAYS = 7;
const TICKET_MINUTES = 15;
/** Wrong codes a link takes before it locks (the DSL sends a new one). */
const MOST_CODE_ATTEMPTS = 5;
const DAY_MS = 86_400_000;
/** Who the audit names for the receiving school (no login: the link and the code are the key). */
const RECEIVER = 'external:receiving-school';

/** What the DSL gets once: the link and the code go to the next school by two channels. */
export interface SentPackage {
  readonly transfer: TransferLine;
  readonly downloadPath: string;
  readonly oneTimeCode: string;
  readonly expiresAt: Date;
  readonly sha256: string;
}

/** What the download page may show before the code: the sending school, and until when. */
export interface LinkFacts {
  readonly fromSchool: string;
  readonly expiresAt: Date;
  readonly attemptsLeft: number;
}

/** What the delivery reads and writes. */
export interface DeliveryDeps {
  readonly cases: Pick<TransferService, 'forTeam' | 'lineOf'>;
  readonly store: Pick<TransferRepository, 'find' | 'addSent' | 'setReceipt' | 'setDestination'>;
  readonly links: TransferLinkRepository;
  /** Where the encrypted file waits for its download (the file store: chunked, sealed again). */
  readonly files: TransferredFileStore;
  readonly sources: PackageSources;
  readonly audit: AuditTrail;
  readonly clock: Clock;
  /** Hears `transfer.sent` (the sharing log records the disclosure). */
  readonly events?: Pick<DomainEvents, 'publish'>;
}

/**
 * Secure delivery: the package is built, packed and encrypted under a one-time code; the next
 * school gets a single-use, time-limited link (no login) and the code by a second channel. Wrong
 * codes are counted (five, then the link locks); the right code with a receipt spends the link,
 * stops the clock and allows one download of the encrypted file. Every step is audited.
 */
export class TransferDeliveryService {
  constructor(private readonly deps: DeliveryDeps) {}

  async send(
    actor: AccessActor,
    transferId: string,
    raw: unknown,
    requestId?: string,
  ): Promise<SentPackage> {
    const transfer = await this.deps.cases.forTeam(actor, transferId, 'send', requestId);
    const parsed = sendTransferSchema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('TRANSFER.INVALID', parsed.error.issues[0]?.message ?? 'invalid');
    }
    if (transfer.receipt) throw new AppError('TRANSFER.ALREADY_RECEIVED', 'already received');
    const input = parsed.data;
    const now = this.deps.clock.now();
    const urn = input.destinationUrn ?? transfer.destination.urn;
    const built = await buildTransferPackage(
      this.deps.sources,
      actor,
      transfer,
      {
        schoolName: input.recipientSchool,
        ...(urn ? { urn } : {}),
        recipientName: input.recipientName,
      },
      now,
      requestId,
    );
    const oneTimeCode = newOneTimeCode();
    const envelope = await sealArchive(await packArchive(built), oneTimeCode);
    const sha256 = createHash('sha256').update(envelope).digest('hex');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + LINK_DAYS * DAY_MS);
    // One live link per transfer: sending again (a lost code, a wrong school) retires the last.
    await this.deps.links.lockAllFor(actor, transferId, now);
    const stored = await this.deps.files.put({
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      name: `${transferId}.sgx`,
      contentType: 'application/octet-stream',
      bytes: envelope,
      uploadedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      uploadedAt: now,
    });
    await this.deps.links.insert({
      tokenHash: hashOf(token),
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      transferId,
      envelopeFileId: stored.fileId,
      sha256,
      createdAt: now,
      expiresAt,
      attempts: 0,
    });
    await this.deps.store.setDestination(actor, transferId, {
      schoolName: input.recipientSchool,
      ...(urn ? { urn } : {}),
    });
    const records = built.json.records;
    await this.deps.store.addSent(actor, transferId, {
      sentAt: now,
      sentBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      recipientName: input.recipientName,
      recipientSchool: input.recipientSchool,
      contents: {
        records: records.length,
        versions: records.reduce((n, r) => n + 1 + r.amendments.length, 0),
        actions: records.reduce((n, r) => n + r.actions.length, 0),
        files: built.files.size,
      },
      sha256,
      linkExpiresAt: expiresAt,
    });
    await this.deps.audit.record(
      auditEvent(
        actor,
        'transfer.send',
        { kind: 'transfer', id: transferId },
        {
          reason: `sha256 ${sha256.slice(0, 16)}…, ${records.length} records`,
          requestId,
        },
      ),
    );
    await this.deps.events?.publish({
      type: 'transfer.sent',
      tenantId: actor.tenantId,
      schoolId: actor.schoolId,
      transferId,
      pupilId: transfer.pupilId,
      recipientSchool: input.recipientSchool,
      sentAt: now,
      sentBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      sha256,
    });
    const updated = await this.deps.store.find(actor, transferId);
    return {
      transfer: this.deps.cases.lineOf(updated ?? transfer),
      downloadPath: `/transfer/${token}`,
      oneTimeCode,
      expiresAt,
      sha256,
    };
  }

  /** The link's page before the code: 410 (TRANSFER.LINK_GONE) when spent, locked or expired. */
  async linkFacts(token: string): Promise<LinkFacts> {
    const link = await this.live(token);
    await this.audit(link, 'transfer.link-open');
    const school = await this.deps.sources.schools.get(link.tenantId, link.schoolId);
    return {
      fromSchool: school?.name ?? 'the sending school',
      expiresAt: link.expiresAt,
      attemptsLeft: MOST_CODE_ATTEMPTS - link.attempts,
    };
  }

  /**
   * The receiving DSL gives the code and their receipt. A wrong code is counted (and the fifth
   * locks the link); the right one records the receipt, spends the link and returns a ticket
   * for one download.
   */
  async confirm(token: string, raw: unknown): Promise<{ ticket: string; attemptsLeft: number }> {
    const form = receiptFormSchema.safeParse(raw);
    if (!form.success) {
      throw new AppError('TRANSFER.INVALID', form.error.issues[0]?.message ?? 'fill in every box');
    }
    const now = this.deps.clock.now();
    const link = await this.deps.links.countAttempt(hashOf(token), now, MOST_CODE_ATTEMPTS);
    if (!link) throw gone();
    try {
      await openArchive(await this.envelopeOf(link), form.data.code);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'TRANSFER.WRONG_CODE') throw error;
      await this.audit(link, 'transfer.code-wrong', `attempt ${link.attempts}`);
      if (link.attempts >= MOST_CODE_ATTEMPTS) {
        await this.deps.links.lock(link.tokenHash, now);
        await this.audit(link, 'transfer.link-locked');
        throw gone();
      }
      throw new AppError('TRANSFER.WRONG_CODE', `${MOST_CODE_ATTEMPTS - link.attempts}`);
    }
    const ticket = randomBytes(32).toString('base64url');
    const ticketExpiresAt = new Date(now.getTime() + TICKET_MINUTES * 60_000);
    if (!(await this.deps.links.spend(link.tokenHash, now, hashOf(ticket), ticketExpiresAt))) {
      throw gone();
    }
    await this.deps.store.setReceipt(link, link.transferId, {
      name: form.data.name,
      school: form.data.school,
      role: form.data.role,
      receivedAt: now,
    });
    await this.audit(link, 'transfer.receipt');
    return { ticket, attemptsLeft: MOST_CODE_ATTEMPTS - link.attempts };
  }

  /** The one download after the receipt: the encrypted file, never the opened one. */
  async download(token: string, ticket: string): Promise<{ envelope: Buffer; sha256: string }> {
    const link = await this.deps.links.takeDownload(
      hashOf(token),
      hashOf(ticket),
      this.deps.clock.now(),
    );
    if (!link) throw gone();
    await this.audit(link, 'transfer.download');
    return { envelope: await this.envelopeOf(link), sha256: link.sha256 };
  }

  /** The encrypted file: from the file store, or (links made before it moved) the link itself. */
  private async envelopeOf(link: TransferLink): Promise<Buffer> {
    if (link.envelopeFileId) return this.deps.files.getBuffer(link, link.envelopeFileId);
    if (link.envelope) return link.envelope;
    throw gone();
  }

  private async live(token: string) {
    const link = await this.deps.links.find(hashOf(token));
    const now = this.deps.clock.now();
    if (
      !link ||
      link.usedAt ||
      link.lockedAt ||
      link.expiresAt.getTime() <= now.getTime() ||
      link.attempts >= MOST_CODE_ATTEMPTS
    ) {
      throw gone();
    }
    return link;
  }

  private async audit(
    link: SchoolScope & { transferId: string },
    action:
      | 'transfer.link-open'
      | 'transfer.code-wrong'
      | 'transfer.link-locked'
      | 'transfer.receipt'
      | 'transfer.download',
    reason?: string,
  ): Promise<void> {
    await this.deps.audit.record(
      auditEvent(
        { ...link, aadObjectId: RECEIVER },
        action,
        { kind: 'transfer', id: link.transferId },
        { reason },
      ),
    );
  }
}

function hashOf(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

function gone(): AppError {
  return new AppError('TRANSFER.LINK_GONE', 'this link has been used, has expired or is locked');
}
