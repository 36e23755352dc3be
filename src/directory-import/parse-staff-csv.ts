import { z } from 'zod';
import type { StaffMember, StaffRole } from '../staff';
import { STAFF_ROLES } from '../staff';
import type { SchoolScope } from '../shared/school-scope';
import { MIS_ID, optionalText, requiredText, yesNo } from './cell-schemas';
import {
  checkCsvTable,
  findRepeats,
  toCsvResult,
  type CsvCheck,
  type CsvColumns,
  type CsvResult,
} from './csv-table';

/** A member of staff as one line of the import file describes them. */
export type StaffImportRow = Omit<StaffMember, keyof SchoolScope>;

/** The staff file's columns. */
const STAFF_COLUMNS: CsvColumns = {
  required: ['aad_object_id', 'display_name', 'email', 'roles', 'active'],
  optional: ['job_title', 'conflict_pupil_ids'],
};

const MAX_STAFF_ROWS = 5_000;
const MAX_CONFLICTS = 50;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_SET = new Set<string>(STAFF_ROLES);

/** Splits a semicolon-separated cell, dropping blanks and repeats ("staff; dsl;" is fine). */
function list(value: string): string[] {
  return [
    ...new Set(
      value
        .split(';')
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

const rowSchema = z
  .object({
    aad_object_id: requiredText('aad_object_id', 36).regex(
      GUID,
      'aad_object_id must be the Entra object id (a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301)',
    ),
    display_name: requiredText('display_name', 200),
    email: requiredText('email', 254).pipe(
      z.email('email must be an e-mail address').transform((v) => v.toLowerCase()),
    ),
    job_title: optionalText('job_title', 200),
    roles: z.string().transform((v, ctx): StaffRole[] => {
      const roles = list(v.toLowerCase());
      const unknown = roles.filter((r) => !ROLE_SET.has(r));
      if (unknown.length > 0) {
        ctx.addIssue({
          code: 'custom',
          message: `roles has unknown roles (${unknown.join(', ').slice(0, 80)}): use ${STAFF_ROLES.join(', ')}`,
        });
        return z.NEVER;
      }
      if (!roles.includes('staff')) {
        ctx.addIssue({
          code: 'custom',
          message: 'roles must include staff (add the others after it, e.g. staff;dsl)',
        });
        return z.NEVER;
      }
      return roles as StaffRole[];
    }),
    conflict_pupil_ids: z.string().transform((v, ctx) => {
      const ids = list(v);
      if (ids.length > MAX_CONFLICTS || ids.some((id) => !MIS_ID.test(id))) {
        ctx.addIssue({
          code: 'custom',
          message: `conflict_pupil_ids must be pupils' mis_id values separated by ; (at most ${MAX_CONFLICTS})`,
        });
        return z.NEVER;
      }
      return ids;
    }),
    active: yesNo('active'),
  })
  .transform((r): StaffImportRow => ({
    aadObjectId: r.aad_object_id.toLowerCase(),
    displayName: r.display_name,
    email: r.email,
    jobTitle: r.job_title,
    roles: r.roles,
    conflictPupilIds: r.conflict_pupil_ids,
    active: r.active,
  }));

/**
 * Checks every line of a staff file: the rows that passed and every problem. Whether
 * conflict_pupil_ids name real pupils is checked at import time, against the school's pupils.
 */
export function checkStaffCsv(text: string): CsvCheck<StaffImportRow> {
  const table = checkCsvTable(text, STAFF_COLUMNS, rowSchema, MAX_STAFF_ROWS);
  return {
    rows: table.rows,
    errors: [...table.errors, ...findRepeats(table.rows, 'aad_object_id', (s) => s.aadObjectId)],
  };
}

/** Checks a whole staff file and returns either every member or every problem, by line. */
export function parseStaffCsv(text: string): CsvResult<StaffImportRow> {
  return toCsvResult(checkStaffCsv(text));
}
