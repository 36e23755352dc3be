import type { Connection } from 'mongoose';
import { asBuffer, type NarrativeCipher, type WrappedKey } from '../encryption';
import type { SchoolScope } from '../shared/school-scope';
import { flushDeletedDocuments } from '../store/flush-deleted';
import type { ShredCounts } from './retention.types';

/** The one file store in use (src/files): it destroys a file's key and bytes. */
export interface FileShredder {
  shred(scope: SchoolScope, fileId: string): Promise<boolean>;
}

type Doc = Record<string, unknown>;

/**
 * Disposal by crypto-shredding of one record about pupils: every document that holds its text
 * (the record's sealed narrative, its amendments, its actions' text, its drafts, its files, the
 * transfer packages and SAR review drafts that carry it) is deleted with the wrapped data key
 * stored beside its ciphertext, and the cipher forgets any cached copy of those keys. Without the
 * wrapped key a ciphertext left anywhere (a backup, a freed page) cannot be opened.
 *
 * It works on the driver's collections, below the models, because records, amendments and
 * actions refuse every change at the model (src/store/append-only.ts): disposal is the one
 * sanctioned change, as key rotation is the one sanctioned re-wrap. Every step is a delete
 * narrowed to the school and the record, so running it again after a crash finishes the rest.
 */
export class RecordShredder {
  constructor(
    private readonly connection: Connection,
    private readonly files: FileShredder,
    private readonly cipher: Pick<NarrativeCipher, 'forget' | 'seal' | 'open'>,
  ) {}

  async shredIncident(
    scope: SchoolScope,
    record: { incidentId: string; pupilIds: readonly string[] },
  ): Promise<ShredCounts> {
    const school = { tenantId: scope.tenantId, schoolId: scope.schoolId };
    const byRecord = { ...school, incidentId: record.incidentId };
    const counts: Record<string, number> = {};
    const keys: WrappedKey[] = [];

    const actionIds = (await this.find('actions', byRecord)).map((a) => String(a._id));
    const fileIds = (await this.find('incident_files', byRecord)).map((f) => String(f.fileId));
    // SAR review drafts first: they are rewritten from what they say, which names these ids.
    counts.sar_review_drafts = await this.shredSarDrafts(scope, record, actionIds, fileIds, keys);
    for (const fileId of fileIds) {
      if (await this.files.shred(scope, fileId)) counts.files = (counts.files ?? 0) + 1;
    }
    const alertIds = (await this.find('alerts', byRecord)).map((a) => String(a.alertId));
    const steps: [string, Doc][] = [
      ['incidents', byRecord],
      ['incident_amendments', byRecord],
      ['actions', byRecord],
      ['action_task_completions', byRecord],
      ['action_jobs', byRecord],
      ['case_status_events', byRecord],
      ['incident_drafts', { tenantId: scope.tenantId, incidentId: record.incidentId }],
      ['incident_files', byRecord],
      ['record_reviews', byRecord],
      ['alert_deliveries', { alertId: { $in: alertIds } }],
      ['alert_sends', { alertId: { $in: alertIds } }],
      ['alerts', byRecord],
      ['alert_acknowledgements', byRecord],
      ['alert_escalations', byRecord],
    ];
    for (const [collection, filter] of steps) {
      counts[collection] = await this.deleteSealed(collection, filter, keys);
    }
    counts.transfer_links = await this.shredTransferPackages(scope, record.pupilIds);
    this.cipher.forget(keys);
    await flushDeletedDocuments(this.connection);
    return withoutZeros(counts);
  }

  /** A concern about an adult: the concern, its steps, its drafts and its declared conflicts. */
  async shredAdultConcern(scope: SchoolScope, concernId: string): Promise<ShredCounts> {
    const filter = { tenantId: scope.tenantId, schoolId: scope.schoolId, concernId };
    const keys: WrappedKey[] = [];
    const counts: Record<string, number> = {};
    for (const collection of [
      'adult_concerns',
      'adult_concern_steps',
      'adult_concern_drafts',
      'adult_concern_conflicts',
    ]) {
      counts[collection] = await this.deleteSealed(collection, filter, keys);
    }
    // Its alerts to the case manager carry the concern's id as their subject.
    const alerts = { tenantId: scope.tenantId, schoolId: scope.schoolId, incidentId: concernId };
    const alertIds = (await this.find('alerts', alerts)).map((a) => String(a.alertId));
    counts.alert_deliveries = await this.deleteSealed(
      'alert_deliveries',
      { alertId: { $in: alertIds } },
      keys,
    );
    counts.alerts = await this.deleteSealed('alerts', alerts, keys);
    this.cipher.forget(keys);
    await flushDeletedDocuments(this.connection);
    return withoutZeros(counts);
  }

  private find(collection: string, filter: Doc): Promise<Doc[]> {
    return this.connection.collection(collection).find(filter).toArray();
  }

  /** Deletes what matches, keeping the wrapped keys of whatever envelopes it held. */
  private async deleteSealed(collection: string, filter: Doc, keys: WrappedKey[]) {
    const docs = await this.find(collection, filter);
    if (docs.length === 0) return 0;
    for (const doc of docs) keys.push(...envelopesIn(doc));
    const result = await this.connection.collection(collection).deleteMany(filter);
    return result.deletedCount;
  }

  /**
   * A transfer package holds the pupil's whole file, this record's text with it: a package not
   * yet downloaded is destroyed (its link with it). The transfer case itself, with its clock and
   * receipt, stays: it says a file was sent, not what it said.
   */
  private async shredTransferPackages(scope: SchoolScope, pupilIds: readonly string[]) {
    const school = { tenantId: scope.tenantId, schoolId: scope.schoolId };
    const transfers = await this.find('transfer_cases', {
      ...school,
      pupilId: { $in: [...pupilIds] },
    });
    if (transfers.length === 0) return 0;
    const transferIds = transfers.map((t) => String(t._id));
    const links = { ...school, transferId: { $in: transferIds } };
    // The encrypted archive waits in the file store (links made before kept it inline).
    for (const link of await this.find('transfer_links', links)) {
      if (typeof link.envelopeFileId === 'string')
        await this.files.shred(scope, link.envelopeFileId);
    }
    const result = await this.connection.collection('transfer_links').deleteMany(links);
    return result.deletedCount;
  }

  /**
   * A SAR review draft holds the words the DSL withheld by hand, with the paragraph they are in:
   * drafts of requests about these pupils that name the record's paragraphs are replaced by one
   * new draft without those words (the latest draft is the review, so nothing else is lost).
   */
  private async shredSarDrafts(
    scope: SchoolScope,
    record: { incidentId: string; pupilIds: readonly string[] },
    actionIds: readonly string[],
    fileIds: readonly string[],
    keys: WrappedKey[],
  ): Promise<number> {
    const school = { tenantId: scope.tenantId, schoolId: scope.schoolId };
    const requests = await this.find('sar_requests', {
      ...school,
      pupilId: { $in: [...record.pupilIds] },
    });
    const prefixes = [
      `incident:${record.incidentId}:`,
      ...actionIds.map((id) => `action:${id}:`),
      ...fileIds.map((id) => `file:${id}:`),
    ];
    const mentions = (paragraphId: unknown) =>
      typeof paragraphId === 'string' && prefixes.some((p) => paragraphId.startsWith(p));
    let removed = 0;
    for (const request of requests) {
      const drafts = (
        await this.find('sar_review_drafts', { ...school, sarId: request.sarId })
      ).sort((a, b) => Number(a.sequence) - Number(b.sequence));
      const naming: Doc[] = [];
      let latest: { decisions: unknown[]; added: { paragraphId?: unknown }[] } | undefined;
      for (const draft of drafts) {
        const opened = (await this.cipher.open(
          draft.sealed as never,
          `sar_review_drafts:${String(draft._id)}`,
        )) as { decisions?: unknown[]; added?: { paragraphId?: unknown }[] };
        latest = { decisions: opened.decisions ?? [], added: opened.added ?? [] };
        if ((opened.added ?? []).some((m) => mentions(m.paragraphId))) naming.push(draft);
      }
      const last = drafts.at(-1);
      if (naming.length === 0 || !latest || !last) continue;
      if (naming.includes(last)) {
        const sequence = Number(last.sequence) + 1;
        const _id = `${scope.tenantId}|${scope.schoolId}|${String(request.sarId)}|${sequence}`;
        const kept = {
          decisions: latest.decisions,
          added: latest.added.filter((m) => !mentions(m.paragraphId)),
        };
        await this.connection.collection('sar_review_drafts').insertOne({
          _id: _id as never,
          ...school,
          sarId: request.sarId,
          sequence,
          kind: 'review',
          by: last.by,
          at: last.at,
          sealed: await this.cipher.seal(kept, `sar_review_drafts:${_id}`),
        });
      }
      removed += await this.deleteSealed(
        'sar_review_drafts',
        { _id: { $in: naming.map((d) => d._id) } },
        keys,
      );
    }
    return removed;
  }
}

/** The wrapped keys of every envelope in a document (`sealed`, `sealedValues`, `sealedNote`…). */
function envelopesIn(doc: Doc): WrappedKey[] {
  const found: WrappedKey[] = [];
  for (const value of Object.values(doc)) {
    const v = value as { keyId?: unknown; wrappedKey?: unknown } | null;
    if (v && typeof v === 'object' && typeof v.keyId === 'string' && v.wrappedKey) {
      found.push({ keyId: v.keyId, wrappedKey: asBuffer(v.wrappedKey, 'wrapped key') });
    }
  }
  return found;
}

function withoutZeros(counts: Record<string, number>): ShredCounts {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
