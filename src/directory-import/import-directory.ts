import type { Pupil } from '../pupils';
import type { SchoolScope } from '../shared/school-scope';
import { toCsvResult, type CsvLineError } from './csv-table';
import { parsePupilsCsv, type PupilImportRow } from './parse-pupils-csv';
import { parseStatusColumns, type StatusLine } from './parse-status-columns';
import { parseLeavingColumns, type LeaverLine } from './parse-leaving-columns';
import { checkStaffCsv, type StaffImportRow } from './parse-staff-csv';

/** What an import wrote: a second run of the same file gives created 0 and updated 0. */
interface ImportCounts {
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
}

/** Either what was written, or every bad line and nothing written. */
export type ImportOutcome =
  | {
      readonly ok: true;
      readonly rows: number;
      readonly counts: ImportCounts;
      /** Pupils whose status columns changed their status (pupils files only). */
      readonly statuses?: { readonly changed: number; readonly unchanged: number };
      /** Child protection file transfers the leavers opened (pupils files only). */
      readonly transfersOpened?: number;
    }
  | { readonly ok: false; readonly errors: readonly CsvLineError[] };

/** Where pupils are written (PupilRepository). */
export interface PupilImportTarget {
  upsertMany(scope: SchoolScope, pupils: readonly PupilImportRow[]): Promise<ImportCounts>;
}

/** Where the status columns go (PupilStatusService): after the pupils, each change audited. */
export interface StatusImportTarget {
  importStatuses(
    scope: SchoolScope,
    lines: readonly StatusLine[],
  ): Promise<{ changed: number; unchanged: number }>;
}

/** Where leavers go (TransferService): a transfer opens for each who has a file, once. */
export interface LeaverImportTarget {
  openFromImport(scope: SchoolScope, leavers: readonly LeaverLine[]): Promise<number>;
}

/** Where staff are written, and the pupils their conflicts of interest must name. */
export interface StaffImportTargets {
  readonly pupils: { findByIds(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]> };
  readonly staff: {
    upsertMany(scope: SchoolScope, staff: readonly StaffImportRow[]): Promise<ImportCounts>;
  };
}

/**
 * Imports a school's pupils from a CSV file: the whole file is checked first and nothing is
 * written if any line is bad. Pupils are matched by MIS id, so re-importing an updated export
 * updates them and running it twice changes nothing. Pupils missing from the file are left as
 * they are (mark leavers on_roll = no).
 */
export async function importPupils(
  pupils: PupilImportTarget,
  scope: SchoolScope,
  csvText: string,
  options: { now?: Date; statuses?: StatusImportTarget; leavers?: LeaverImportTarget } = {},
): Promise<ImportOutcome> {
  const parsed = parsePupilsCsv(csvText, options);
  const statusLines = parseStatusColumns(csvText);
  const leaverLines = parseLeavingColumns(csvText);
  if (!parsed.ok || !statusLines.ok || !leaverLines.ok) {
    return toCsvResult({
      rows: [],
      errors: distinctErrors([
        ...(parsed.ok ? [] : parsed.errors),
        ...(statusLines.ok ? [] : statusLines.errors),
        ...(leaverLines.ok ? [] : leaverLines.errors),
      ]),
    }) as ImportOutcome;
  }
  const counts = await pupils.upsertMany(
    scope,
    parsed.rows.map((r) => r.value),
  );
  // After the pupils are written: a transfer names a pupil of the directory.
  const transfersOpened =
    options.leavers && leaverLines.rows.length > 0
      ? await options.leavers.openFromImport(
          scope,
          leaverLines.rows.map((r) => r.value),
        )
      : undefined;
  const opened = transfersOpened === undefined ? {} : { transfersOpened };
  if (!options.statuses || statusLines.rows.length === 0) {
    return { ok: true, rows: parsed.rows.length, counts, ...opened };
  }
  const statuses = await options.statuses.importStatuses(
    scope,
    statusLines.rows.map((r) => r.value),
  );
  return { ok: true, rows: parsed.rows.length, counts, statuses, ...opened };
}

/** Both checks read the same cells (an unsafe cell is found twice): each problem once. */
function distinctErrors(errors: readonly CsvLineError[]): CsvLineError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.line}|${e.column ?? ''}|${e.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Imports a school's staff from a CSV file, all or nothing like {@link importPupils}; each
 * conflict_pupil_ids entry must be a pupil of this school (import pupils first). Matched by Entra
 * object id; staff missing from the file are left as they are (mark leavers active = no).
 */
export async function importStaff(
  targets: StaffImportTargets,
  scope: SchoolScope,
  csvText: string,
): Promise<ImportOutcome> {
  const checked = checkStaffCsv(csvText);
  // Conflicts are checked on every line that parsed, even when others are bad, so one run
  // lists everything to fix.
  const named = [...new Set(checked.rows.flatMap((r) => r.value.conflictPupilIds))];
  const known = new Set((await targets.pupils.findByIds(scope, named)).map((p) => p.pupilId));
  const unknownConflicts: CsvLineError[] = checked.rows.flatMap((row) => {
    const unknown = row.value.conflictPupilIds.filter((id) => !known.has(id));
    if (unknown.length === 0) return [];
    return [
      {
        line: row.line,
        column: 'conflict_pupil_ids',
        reason: `conflict_pupil_ids names no pupil of this school: ${unknown.join(', ').slice(0, 120)}`,
      },
    ];
  });
  const parsed = toCsvResult({
    rows: checked.rows,
    errors: [...checked.errors, ...unknownConflicts],
  });
  if (!parsed.ok) return parsed;

  const counts = await targets.staff.upsertMany(
    scope,
    parsed.rows.map((r) => r.value),
  );
  return { ok: true, rows: parsed.rows.length, counts };
}
