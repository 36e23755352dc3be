import fs from 'node:fs';
import path from 'node:path';
import type { CsvLineError, CsvResult } from '../../../src/directory-import/csv-table';
import { parseStaffCsv } from '../../../src/directory-import/parse-staff-csv';
import { csv, STAFF_HEADER, staffLine } from '../../support/directory-builders';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'directory');

function errorsOf<T>(result: CsvResult<T>): readonly CsvLineError[] {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

function where(errors: readonly CsvLineError[]): [number, string | undefined][] {
  return errors.map((e) => [e.line, e.column]);
}

describe('parseStaffCsv', () => {
  it('when the example file is read, then every member parses with ids, e-mails and roles normalised', () => {
    const result = parseStaffCsv(fs.readFileSync(path.join(FIXTURES, 'staff.csv'), 'utf8'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.rows.map((r) => r.line)).toEqual([2, 3, 4, 5, 6, 7]);
    const [dsl, deputy, ta, head, leaver, sendco] = result.rows.map((r) => r.value);
    expect(dsl).toEqual({
      aadObjectId: '11111111-1111-4111-8111-000000000001',
      displayName: 'Dana Whitfield',
      email: 'dana.whitfield@school.example',
      jobTitle: 'Designated Safeguarding Lead',
      roles: ['staff', 'dsl'],
      conflictPupilIds: [],
      active: true,
    });
    expect(deputy?.roles).toEqual(['staff', 'deputy-dsl']);
    expect(ta?.conflictPupilIds).toEqual(['A1010']);
    expect(head?.roles).toEqual(['staff', 'head', 'slt']);
    expect(leaver).toMatchObject({ active: false, jobTitle: undefined });
    expect(sendco).toMatchObject({
      aadObjectId: '11111111-1111-4111-8111-00000000000a',
      email: 'sol.ahmed@school.example',
      roles: ['staff', 'safeguarding-team'],
      conflictPupilIds: ['A1003', 'A1004'],
    });
  });

  it('when the bad example file is read, then every bad line is listed by line and column', () => {
    const errors = errorsOf(
      parseStaffCsv(fs.readFileSync(path.join(FIXTURES, 'staff-bad.csv'), 'utf8')),
    );
    expect(where(errors)).toEqual([
      [3, 'aad_object_id'],
      [4, 'roles'],
      [5, 'roles'],
      [6, 'email'],
      [7, 'aad_object_id'],
      [8, 'display_name'],
      [9, 'conflict_pupil_ids'],
    ]);
    expect(errors[1]!.reason).toContain('unknown roles (teacher)');
    expect(errors[2]!.reason).toContain('roles must include staff');
    expect(errors[4]!.reason).toBe(
      'aad_object_id 22222222-2222-4222-8222-000000000001 is already on line 2',
    );
  });

  it('when the same object id appears in different case, then the second line is a repeat', () => {
    const id = '44444444-4444-4444-8444-00000000000b';
    const errors = errorsOf(
      parseStaffCsv(
        csv(
          STAFF_HEADER,
          staffLine({ aad_object_id: id }),
          staffLine({ aad_object_id: id.toUpperCase() }),
        ),
      ),
    );
    expect(where(errors)).toEqual([[3, 'aad_object_id']]);
  });

  it('when roles repeat, vary in case or have stray semicolons, then they are cleaned up', () => {
    const result = parseStaffCsv(csv(STAFF_HEADER, staffLine({ roles: 'Staff; DSL;;staff;' })));
    expect(result.ok && result.rows[0]?.value.roles).toEqual(['staff', 'dsl']);
  });

  it('when roles is blank, then the line is refused for lacking staff', () => {
    const errors = errorsOf(parseStaffCsv(csv(STAFF_HEADER, staffLine({ roles: '' }))));
    expect(errors).toEqual([
      { line: 2, column: 'roles', reason: expect.stringContaining('must include staff') },
    ]);
  });

  it('when conflict_pupil_ids are more than 50, then the line is refused', () => {
    const ids = Array.from({ length: 51 }, (_, i) => `P${i}`).join(';');
    const errors = errorsOf(
      parseStaffCsv(csv(STAFF_HEADER, staffLine({ conflict_pupil_ids: ids }))),
    );
    expect(where(errors)).toEqual([[2, 'conflict_pupil_ids']]);
  });

  it('when required columns are missing and an unknown one is present, then one error on line 1 names them', () => {
    const errors = errorsOf(
      parseStaffCsv(csv('aad_object_id,display_name,phone,roles', 'x,y,z,staff')),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 1 });
    expect(errors[0]!.reason).toContain('unknown columns: phone');
    expect(errors[0]!.reason).toContain('missing required columns: email, active');
  });

  it('when display_name is over 200 characters or job_title starts with @, then each is reported', () => {
    const errors = errorsOf(
      parseStaffCsv(
        csv(
          STAFF_HEADER,
          staffLine({ display_name: 'x'.repeat(201) }),
          staffLine({
            aad_object_id: '33333333-3333-4333-8333-000000000002',
            job_title: '@admin',
          }),
        ),
      ),
    );
    expect(where(errors)).toEqual([
      [2, 'display_name'],
      [3, 'job_title'],
    ]);
  });

  it('when active is not a yes or no, then the line is refused', () => {
    const errors = errorsOf(parseStaffCsv(csv(STAFF_HEADER, staffLine({ active: 'left' }))));
    expect(where(errors)).toEqual([[2, 'active']]);
  });
});
