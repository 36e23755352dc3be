import type { Connection } from 'mongoose';

/** Records in the store and how many of them have no `record.create` audit event. */
export async function recordsAndAudit(
  connection: Connection,
): Promise<{ records: number; withoutAudit: number; incidentIds: string[] }> {
  const incidents = await connection
    .collection<{ incidentId: string }>('incidents')
    .find({}, { projection: { incidentId: 1 } })
    .toArray();
  const incidentIds = incidents.map((i) => i.incidentId);
  const audited = new Set(
    (
      await connection
        .collection<{ target: { id: string } }>('audit_events')
        .find({ action: 'record.create' }, { projection: { 'target.id': 1 } })
        .toArray()
    ).map((e) => e.target.id),
  );
  return {
    records: incidentIds.length,
    withoutAudit: incidentIds.filter((id) => !audited.has(id)).length,
    incidentIds,
  };
}

/** Documents in every collection of the database, by name (what "nothing stored" compares). */
export async function documentCounts(connection: Connection): Promise<Map<string, number>> {
  const db = connection.db!;
  const counts = new Map<string, number>();
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    counts.set(name, await db.collection(name).countDocuments({}));
  }
  return counts;
}

/** The collections whose counts differ, as "name +n". */
export function countChanges(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names]
    .map((name) => [name, (after.get(name) ?? 0) - (before.get(name) ?? 0)] as const)
    .filter(([, delta]) => delta !== 0)
    .map(([name, delta]) => `${name} ${delta > 0 ? '+' : ''}${delta}`);
}
