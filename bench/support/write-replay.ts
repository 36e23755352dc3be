import { randomUUID } from 'node:crypto';
import { ObjectId, type Db, type Document } from 'mongodb';
import type { RecordedCommand } from './command-monitor';

/** Commands that change documents; everything else is a read. */
const WRITE_COMMANDS = new Set(['insert', 'update', 'delete', 'findAndModify']);
/** Fields the driver adds per session and call; the replaying client adds its own. */
const SESSION_FIELDS = [
  'lsid',
  '$db',
  '$clusterTime',
  'txnNumber',
  '$readPreference',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
];
/** Ids minted per submission (randomUUID is version 4); directory ids are left as they are. */
const MINTED_UUID = /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/gi;

/** True for a command that changes documents. */
export function isWrite(command: RecordedCommand): boolean {
  return WRITE_COMMANDS.has(command.commandName);
}

/** A captured command ready to send again: session fields gone, aimed at another collection. */
export function retarget(command: Document, commandName: string, collection: string): Document {
  const copy: Document = { ...command, [commandName]: collection };
  for (const field of SESSION_FIELDS) delete copy[field];
  return copy;
}

/**
 * A copy of `value` with every id minted for one submission replaced by a fresh one, the same
 * replacement wherever the same id appears (a draft's id in its insert and in its close): ObjectIds,
 * and version-4 UUIDs inside strings unless listed in `keep`.
 */
export function withFreshIds(
  value: unknown,
  replacements: Map<string, string | ObjectId>,
  keep: ReadonlySet<string>,
): unknown {
  if (value instanceof ObjectId) {
    const key = `oid:${value.toHexString()}`;
    let fresh = replacements.get(key);
    if (!fresh) replacements.set(key, (fresh = new ObjectId()));
    return fresh;
  }
  if (typeof value === 'string') {
    return value.replace(MINTED_UUID, (uuid) => {
      if (keep.has(uuid.toLowerCase())) return uuid;
      let fresh = replacements.get(uuid);
      if (!fresh) replacements.set(uuid, (fresh = randomUUID()));
      return fresh as string;
    });
  }
  if (Array.isArray(value)) return value.map((v) => withFreshIds(v, replacements, keep));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  if ((value as { _bsontype?: unknown })._bsontype !== undefined) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, withFreshIds(v, replacements, keep)]),
  );
}

/** A primary key that ends in a zero-padded number: `<tenant>|<school>|000000000042`. */
const SEQUENCE_KEY = /^(.*\D)(\d+)$/;

/** The one document an insert sends, when it sends exactly one. */
function onlyDocument(command: Document): Document | undefined {
  const documents = command.documents as Document[] | undefined;
  return documents?.length === 1 ? documents[0] : undefined;
}

/**
 * True for an insert that claims the next number of a sequence by its primary key (the audit
 * trail: `_id` is the scope and the zero-padded `sequence`). Replayed as captured it would claim
 * the same number again and be refused as a duplicate key.
 */
export function isSequenceClaim(command: Document): boolean {
  const doc = onlyDocument(command);
  if (!doc || command.insert === undefined || typeof doc.sequence !== 'number') return false;
  const digits = typeof doc._id === 'string' ? SEQUENCE_KEY.exec(doc._id)?.[2] : undefined;
  return digits !== undefined && Number(digits) === doc.sequence;
}

/** The same sequence-claiming insert, claiming `sequence` instead (key and field alike). */
export function withSequence(command: Document, sequence: number): Document {
  const doc = onlyDocument(command)!;
  const [, scope, digits] = SEQUENCE_KEY.exec(doc._id as string)!;
  const _id = `${scope}${String(sequence).padStart(digits!.length, '0')}`;
  return { ...command, documents: [{ ...doc, _id, sequence }] };
}

/** A write refused by the store; `code` 11000 is a duplicate key. */
export class WriteRefused extends Error {
  constructor(
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'WriteRefused';
  }
}

/** Sends a command with the bare driver; write errors in the reply become a WriteRefused. */
export async function runChecked(db: Db, command: Document): Promise<Document> {
  const reply = await db.command(command);
  const errors = (reply.writeErrors ?? []) as { code?: number; errmsg?: string }[];
  if (errors.length > 0) {
    throw new WriteRefused(errors[0]!.code, errors[0]!.errmsg ?? 'write refused');
  }
  return reply;
}

/** Gives `to` the same indexes (keys, names, uniqueness) as `from`. */
export async function copyIndexes(db: Db, from: string, to: string): Promise<void> {
  const indexes = await db
    .collection(from)
    .listIndexes()
    .toArray()
    .catch(() => [] as Document[]);
  for (const index of indexes) {
    if (index.name === '_id_') continue;
    await db.collection(to).createIndex(index.key as Document, {
      name: index.name as string,
      unique: Boolean(index.unique),
    });
  }
}
