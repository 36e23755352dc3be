import type { CommandStartedEvent, Db, Document, MongoClient } from 'mongodb';

/**
 * Reading the embedded store's query plans. Our FerretDB patch (tools/ferretdb-embedded/patches)
 * pushes `_id`, equality and `$in` on top-level fields and dotted paths, and ObjectId and string
 * ranges, down to SQLite, where the expression indexes can serve them; `explain` on a find answers SQLite's `EXPLAIN QUERY PLAN` rows (queryPlanner.Plan,
 * "id=.. parent=.. notused=.. detail=SEARCH <table> USING INDEX <table>_<index> (<expr>=? AND ...)").
 */

/** One filter the app sent to the store, as a find would run it. */
export interface StoreQuery {
  readonly collection: string;
  /** The command that carried it: find, update, delete, aggregate, ... */
  readonly command: string;
  readonly filter: Document;
  readonly sort?: Document;
}

/**
 * The filters in a command. count, update, delete, findAndModify, distinct and aggregate hand their
 * filter to the same backend query as find does (FerretDB's handler), and FerretDB's explain reads
 * only find's and aggregate's, so each filter is explained as a find.
 */
function queriesOf(e: CommandStartedEvent): StoreQuery[] {
  const c = e.command;
  const collection = String(c[e.commandName]);
  const doc = (v: unknown): Document => (v && typeof v === 'object' ? (v as Document) : {});
  switch (e.commandName) {
    case 'find':
      return [{ collection, command: 'find', filter: doc(c.filter), sort: c.sort as Document }];
    case 'count':
    case 'distinct':
      return [{ collection, command: e.commandName, filter: doc(c.query) }];
    case 'findAndModify':
      return [
        { collection, command: 'findAndModify', filter: doc(c.query), sort: c.sort as Document },
      ];
    case 'aggregate': {
      const first = (c.pipeline as Document[])[0];
      return [{ collection, command: 'aggregate', filter: doc(first?.$match) }];
    }
    case 'update':
      return (c.updates as Document[]).map((u) => ({
        collection,
        command: 'update',
        filter: doc(u.q),
      }));
    case 'delete':
      return (c.deletes as Document[]).map((d) => ({
        collection,
        command: 'delete',
        filter: doc(d.q),
      }));
    default:
      return [];
  }
}

/** Records the filters one client sends while `during` runs. */
export async function captureQueries(
  client: MongoClient,
  during: () => Promise<unknown>,
): Promise<StoreQuery[]> {
  const seen: StoreQuery[] = [];
  const listener = (e: CommandStartedEvent) => seen.push(...queriesOf(e));
  client.on('commandStarted', listener);
  try {
    await during();
  } finally {
    client.off('commandStarted', listener);
  }
  return seen;
}

/**
 * - seek: every index search narrows to the fields that identify what is asked for (a record, a
 *   pupil, an `_id`), or to the empty "is an array" probes the patch adds;
 * - broad: served by an index, but a search reads everything under a broad prefix (a school, a
 *   status), and FerretDB then filters, sorts and limits those documents itself;
 * - scan: SQLite reads the whole table.
 */
export type PlanKind = 'seek' | 'broad' | 'scan';

export interface PlanVerdict {
  readonly kind: PlanKind;
  /** The searches, e.g. `tenantId_1_schoolId_1_pupilId_1_… (tenantId, schoolId, pupilId)`. */
  readonly how: string;
  readonly plan: readonly string[];
}

interface IndexInfo {
  readonly name: string;
  readonly fields: readonly string[];
  readonly unique: boolean;
}

/** Explains the query as a find and judges SQLite's plan; `narrowBy`: the identifying fields. */
export async function judgePlan(
  db: Db,
  query: StoreQuery,
  narrowBy: readonly string[],
): Promise<PlanVerdict> {
  const explained = await db.command({
    explain: {
      find: query.collection,
      filter: query.filter,
      ...(query.sort ? { sort: query.sort } : {}),
    },
  });
  const plan = ((explained.queryPlanner as Document | undefined)?.Plan ?? []) as string[];
  const indexes: IndexInfo[] = (await db.collection(query.collection).listIndexes().toArray()).map(
    (i) => ({
      name: String(i.name),
      fields: Object.keys(i.key as Document),
      unique: i.unique === true,
    }),
  );
  return judge(plan, indexes, narrowBy);
}

function judge(
  plan: readonly string[],
  indexes: readonly IndexInfo[],
  narrowBy: readonly string[],
): PlanVerdict {
  const searches: string[] = [];
  let kind: PlanKind = plan.length === 0 ? 'scan' : 'seek';
  const worse = (k: PlanKind) => {
    if (k === 'scan' || (k === 'broad' && kind === 'seek')) kind = k;
  };
  for (const row of plan) {
    const detail = /detail=(.*)$/.exec(row)?.[1] ?? row;
    if (/^(MULTI-INDEX OR|INDEX \d+|USE TEMP B-TREE FOR ORDER BY)$/.test(detail)) continue;
    if (/^SEARCH \S+ USING INTEGER PRIMARY KEY/.test(detail)) {
      searches.push('rowid');
      continue;
    }
    const search = /^SEARCH (\S+) USING (?:COVERING )?INDEX (\S+) \((.*)\)$/.exec(detail);
    if (!search) {
      // A full scan ("SCAN t", "SCAN t USING INDEX i") or anything this reader does not know.
      searches.push(detail);
      worse('scan');
      continue;
    }
    const [, table, sqliteIndex, constraints] = search as unknown as [
      string,
      string,
      string,
      string,
    ];
    const index = indexes.find((i) => sqliteIndex === `${table}_${i.name}`);
    const terms = constraints.split(' AND ');
    const equal = terms.filter((t) => t === '<expr>=?').length;
    const probe = terms.some((t) => /^<expr>[<>]/.test(t));
    const prefix = index?.fields.slice(0, equal) ?? [];
    const arrayOf = probe ? index?.fields[equal] : undefined;
    // The patch's "is an array" probe bounds both sides; an ObjectId or string range may bound one.
    const twoSided =
      terms.some((t) => t.startsWith('<expr>>')) && terms.some((t) => t.startsWith('<expr><'));
    const what = twoSided ? 'is an array' : 'in a range';
    searches.push(
      `${index?.name ?? sqliteIndex} (${prefix.join(', ')}${arrayOf ? `${prefix.length ? ', ' : ''}${arrayOf} ${what}` : ''})`,
    );
    const narrow =
      probe ||
      prefix.some((f) => narrowBy.includes(f)) ||
      (index !== undefined && index.unique && equal === index.fields.length);
    if (!index) worse('scan');
    else if (!narrow) worse('broad');
  }
  return { kind, how: [...new Set(searches)].join('; '), plan };
}

/** `{ tenantId, schoolId, status: { $in } }`: the filter's keys and operators, no values. */
export function shapeOf(filter: Document): string {
  const plain = (v: unknown): v is Document =>
    v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  const entries = Object.entries(filter).map(([k, v]) => {
    if (Array.isArray(v) && ['$and', '$or', '$nor'].includes(k)) {
      return `${k}: [${v.map((x: Document) => shapeOf(x)).join(', ')}]`;
    }
    if (plain(v) && Object.keys(v).every((x) => x.startsWith('$'))) {
      return `${k}: { ${Object.keys(v).join(', ')} }`;
    }
    return k;
  });
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}
