import { randomUUID } from 'node:crypto';
import { Binary, ObjectId, type Db, type Document } from 'mongodb';
import type { NarrativeCipher } from '../../src/encryption';
import { nowMs } from './timing';

/** How big the aged school is; the full bench uses the five busy years. */
export interface AgedSchoolSize {
  readonly records: number;
  readonly auditEvents: number;
  readonly alerts: number;
  readonly pupils: number;
}

/** What seeding wrote, per collection, and how long it took. */
export interface AgedSeedReport {
  readonly templates: Record<string, number>;
  readonly written: Record<string, number>;
  readonly seconds: number;
  readonly documents: number;
}

/**
 * Collections copied from the app's own year of history. Their documents are the app's (written
 * through its services by the demo history), so a schema change reaches the bench without edits.
 * Work queues (action_jobs, leases, alert_escalations) and per-person state (drafts, step-ups,
 * conversation references) are left alone: copies of those would start real background work.
 */
const COPIED = [
  'incidents',
  'chronology_incidents',
  'actions',
  'action_task_completions',
  'incident_amendments',
  'case_status_events',
  'alert_acknowledgements',
  'alert_deliveries',
];
/** Copied until their own target is reached rather than once per copy of the records. */
const ALERTS = 'alerts';
const AUDIT = 'audit_events';
const BATCH = 5_000;
const DAY_MS = 86_400_000;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const DEMO_PUPIL = /\bEP\d{4}\b/g;
const REFERENCE = /\b([A-Z]{2,6})-(\d{4})-(\d{5})\b/g;

/**
 * Turns the demo school's one year (written by the app through its services) into five busy years
 * by bulk-inserting copies: every id a copy holds is replaced by a fresh one (the same id maps to
 * the same new id within one copy, so a copied record keeps its actions, alerts and index entries),
 * its pupils become pupils of their own (copies of the demo pupils), its dates move back one to
 * five years with reference numbers to match, and each copied record's narrative is sealed again
 * by the app's cipher for its new id. Audit events continue the school's sequence (their hash
 * chain is not recomputed: `npm run audit:verify` on a bench store reports the seams).
 */
export async function seedAgedSchool(
  db: Db,
  scope: { tenantId: string; schoolId: string },
  cipher: NarrativeCipher,
  size: AgedSchoolSize,
  /** Told the documents written so far after each batch (a full seed takes minutes). */
  progress: (documents: number, seconds: number) => void = () => undefined,
): Promise<AgedSeedReport> {
  const started = nowMs();
  const inSchool = { tenantId: scope.tenantId, schoolId: scope.schoolId };
  const kept = new Set<string>([scope.tenantId.toLowerCase()]);
  for (const s of await db.collection('staff').find(inSchool).toArray()) {
    kept.add(String(s.aadObjectId).toLowerCase());
  }

  const templates: Record<string, Document[]> = {};
  for (const name of [...COPIED, ALERTS, AUDIT]) {
    templates[name] = await db.collection(name).find(inSchool).toArray();
  }
  const records = templates.incidents!.length;
  if (records === 0) throw new RangeError('the demo history wrote no records to copy');
  const written: Record<string, number> = {};
  const add = (name: string, n: number) => (written[name] = (written[name] ?? 0) + n);

  const pupils = await copyPupils(db, inSchool, size.pupils);
  add('pupils', pupils.written);
  const narratives = new Map<string, Record<string, unknown>>();
  const plainOf = async (doc: Document) => {
    const id = String(doc.incidentId);
    let plain = narratives.get(id);
    if (!plain) {
      plain = await cipher.open(doc.sealed as never, `incident:${id}`);
      narratives.set(id, plain);
    }
    return plain;
  };

  const copies = Math.ceil(size.records / records) - 1;
  const alertsWanted = Math.max(0, size.alerts - templates[ALERTS]!.length);
  let sequence = Math.max(0, ...templates[AUDIT]!.map((e) => Number(e.sequence)));
  const auditWanted = Math.max(0, size.auditEvents - templates[AUDIT]!.length);
  const pending: Record<string, Document[]> = {};
  const flush = async (name: string, force = false) => {
    const docs = pending[name] ?? [];
    if (docs.length === 0 || (!force && docs.length < BATCH)) return;
    pending[name] = [];
    await db.collection(name).insertMany(docs, { ordered: false });
    add(name, docs.length);
    progress(
      Object.values(written).reduce((a, b) => a + b, 0),
      (nowMs() - started) / 1000,
    );
  };
  const queue = async (name: string, doc: Document) => {
    (pending[name] ??= []).push(doc);
    await flush(name);
  };

  // One copy per pass; records, their companions, alerts and audit events each stop at their target.
  for (let copy = 1; ; copy += 1) {
    const recordsLeft = copy <= copies;
    const alertsLeft = (written[ALERTS] ?? 0) + (pending[ALERTS]?.length ?? 0) < alertsWanted;
    const auditLeft = (written[AUDIT] ?? 0) + (pending[AUDIT]?.length ?? 0) < auditWanted;
    if (!recordsLeft && !alertsLeft && !auditLeft) break;
    const copier = new Copier(copy, kept, pupils.copies, records);
    if (recordsLeft) {
      let n = 0;
      for (const name of COPIED) {
        for (const template of templates[name]!) {
          if (name === 'incidents' && n++ >= size.records - records * copy) break;
          const doc = copier.copy(template);
          if (name === 'incidents') {
            doc.sealed = await cipher.seal(await plainOf(template), `incident:${doc.incidentId}`);
          }
          await queue(name, doc);
        }
      }
    }
    for (const template of templates[ALERTS]!) {
      if ((written[ALERTS] ?? 0) + (pending[ALERTS]?.length ?? 0) >= alertsWanted) break;
      await queue(ALERTS, copier.copy(template));
    }
    for (const template of templates[AUDIT]!) {
      if ((written[AUDIT] ?? 0) + (pending[AUDIT]?.length ?? 0) >= auditWanted) break;
      const doc = copier.copy(template);
      sequence += 1;
      doc.sequence = sequence;
      doc._id = `${scope.tenantId}|${scope.schoolId}|${String(sequence).padStart(12, '0')}`;
      await queue(AUDIT, doc);
    }
  }
  for (const name of Object.keys(pending)) await flush(name, true);

  const seconds = (nowMs() - started) / 1000;
  return {
    templates: Object.fromEntries(Object.entries(templates).map(([k, v]) => [k, v.length])),
    written,
    seconds,
    documents: Object.values(written).reduce((a, b) => a + b, 0),
  };
}

/** Copies of the demo pupils (ids with a suffix) until the school has `wanted` pupils. */
async function copyPupils(
  db: Db,
  inSchool: { tenantId: string; schoolId: string },
  wanted: number,
): Promise<{ written: number; copies: number }> {
  const demo = await db.collection('pupils').find(inSchool).toArray();
  const copies = Math.max(1, Math.ceil(wanted / Math.max(1, demo.length)) - 1);
  const docs: Document[] = [];
  for (let copy = 1; copy <= copies; copy += 1) {
    for (const pupil of demo) {
      if (demo.length + docs.length >= wanted) break;
      const { _id: _ignored, ...rest } = pupil;
      docs.push({ ...rest, pupilId: pupilCopyId(String(pupil.pupilId), copy) });
    }
  }
  if (docs.length > 0) await db.collection('pupils').insertMany(docs, { ordered: false });
  return { written: docs.length, copies };
}

function pupilCopyId(pupilId: string, copy: number): string {
  return `${pupilId}A${copy}`;
}

/** Makes one copy's documents: fresh ids, its own pupils, dates and references moved back. */
class Copier {
  private readonly ids = new Map<string, string>();
  private readonly yearsBack: number;
  private readonly pupilCopy: number;
  private readonly referenceOffset: number;
  private readonly copyNumber: number;

  constructor(
    copy: number,
    private readonly kept: ReadonlySet<string>,
    pupilCopies: number,
    recordsPerCopy: number,
  ) {
    this.yearsBack = 1 + ((copy - 1) % 5);
    this.pupilCopy = 1 + ((copy - 1) % pupilCopies);
    // Each copy numbers its references in a band of its own (a year's numbers never exceed the
    // records per copy), so references stay unique whichever year a copy lands in.
    this.referenceOffset = copy * (recordsPerCopy + 1);
    this.copyNumber = copy;
  }

  copy(template: Document): Document {
    const doc = this.value(template) as Document;
    if (template._id instanceof ObjectId) doc._id = new ObjectId();
    return doc;
  }

  private value(v: unknown): unknown {
    if (typeof v === 'string') return this.text(v);
    if (v instanceof Date) return new Date(v.getTime() - this.yearsBack * 365 * DAY_MS);
    if (v instanceof Binary || v instanceof ObjectId || Buffer.isBuffer(v)) return v;
    if (Array.isArray(v)) return v.map((x) => this.value(x));
    if (v && typeof v === 'object') {
      const out: Document = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] =
          k === 'referenceYear' && typeof x === 'number'
            ? x - this.yearsBack
            : k === 'referenceNumber' && typeof x === 'number'
              ? x + this.referenceOffset
              : k === 'idempotencyKey' && typeof x === 'string'
                ? `${this.text(x)}#copy${this.copyNumber}`
                : this.value(x);
      }
      return out;
    }
    return v;
  }

  private text(s: string): string {
    return s
      .replace(UUID, (id) => {
        const key = id.toLowerCase();
        if (this.kept.has(key)) return id;
        let fresh = this.ids.get(key);
        if (!fresh) this.ids.set(key, (fresh = randomUUID()));
        return fresh;
      })
      .replace(DEMO_PUPIL, (p) => pupilCopyId(p, this.pupilCopy))
      .replace(
        REFERENCE,
        (_m, prefix: string, year: string, number: string) =>
          `${prefix}-${Number(year) - this.yearsBack}-${String(Number(number) + this.referenceOffset).padStart(5, '0')}`,
      );
  }
}
