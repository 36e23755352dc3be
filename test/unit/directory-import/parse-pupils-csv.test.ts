import fs from 'node:fs';
import path from 'node:path';
import type { CsvLineError, CsvResult } from '../../../src/directory-import/csv-table';
import { parsePupilsCsv } from '../../../src/directory-import/parse-pupils-csv';
import { csv, PUPILS_HEADER, pupilLine } from '../../support/directory-builders';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'directory');
const now = new Date('2026-11-23T09:00:00Z');

function parse(text: string) {
  return parsePupilsCsv(text, { now });
}

function errorsOf<T>(result: CsvResult<T>): readonly CsvLineError[] {
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors;
}

/** [line, column] pairs, the shape most assertions care about. */
function where(errors: readonly CsvLineError[]): [number, string | undefined][] {
  return errors.map((e) => [e.line, e.column]);
}

describe('parsePupilsCsv', () => {
  it('when the example file is read, then every pupil parses with dates, year groups and flags normalised', () => {
    const result = parse(fs.readFileSync(path.join(FIXTURES, 'pupils.csv'), 'utf8'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.rows).toHaveLength(10);
    const byId = new Map(result.rows.map((r) => [r.value.pupilId, r]));
    expect(byId.get('A1001')).toEqual({
      line: 2,
      value: {
        pupilId: 'A1001',
        upn: 'Z00000000001A',
        legalFirstName: 'James',
        legalLastName: 'Smith',
        preferredFirstName: 'Jim',
        preferredLastName: undefined,
        dateOfBirth: '2017-03-14',
        yearGroup: 'Year 4',
        form: '4E',
        onRoll: true,
      },
    });
    expect(byId.get('A1002')?.value).toMatchObject({
      legalFirstName: 'Zoë',
      dateOfBirth: '2016-07-14',
      upn: undefined,
    });
    expect(byId.get('A1003')?.value).toMatchObject({
      legalLastName: "O'Neill",
      yearGroup: 'Year 3',
    });
    expect(byId.get('A1004')?.value).toMatchObject({ yearGroup: 'Year 6', onRoll: true });
    expect(byId.get('A1007')?.value).toMatchObject({
      dateOfBirth: '2021-04-05',
      yearGroup: 'Reception',
    });
    expect(byId.get('A1008')?.value.onRoll).toBe(false);
    expect(byId.get('A1010')?.value).toMatchObject({
      legalFirstName: 'Mary Anne',
      preferredLastName: 'Jones-Reid',
    });
    expect(byId.get('A1010')?.line).toBe(11);
  });

  it('when the bad example file is read, then every bad line is listed by line and column, and nothing else', () => {
    const errors = errorsOf(parse(fs.readFileSync(path.join(FIXTURES, 'pupils-bad.csv'), 'utf8')));
    expect(where(errors)).toEqual([
      [3, 'legal_first_name'],
      [4, 'date_of_birth'],
      [5, 'date_of_birth'],
      [6, 'legal_last_name'],
      [7, 'mis_id'],
      [8, 'on_roll'],
      [9, 'year_group'],
      [10, 'legal_first_name'],
      [12, 'legal_first_name'],
      [13, undefined],
    ]);
    expect(errors.map((e) => e.reason)).toEqual([
      'legal_first_name is required',
      'date_of_birth must be a real date as YYYY-MM-DD or DD/MM/YYYY',
      'date_of_birth must be in the past',
      'legal_last_name starts with =, +, - or @, which a spreadsheet would run as a formula',
      'mis_id B2001 is already on line 2',
      'on_roll must be yes or no (or true/false, 1/0)',
      'year_group must be Nursery, Reception or Year 1 to Year 14 (1, Y1 and R work)',
      'legal_first_name contains a control character (such as a line break or tab)',
      'legal_first_name is longer than 200 characters',
      'the line has 8 cells but the header has 10',
    ]);
  });

  it('when errors are reported, then they never repeat a pupil name from the file', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'pupils-bad.csv'), 'utf8');
    const reasons = errorsOf(parse(text))
      .map((e) => e.reason)
      .join('\n');
    for (const name of [
      'Ava',
      'Patel',
      'Noah',
      'Isla',
      'Leo',
      'cmd',
      'Ella',
      'Rhys',
      'Mia',
      'AAAA',
    ]) {
      expect(reasons).not.toContain(name);
    }
  });

  it('when the header has unknown and missing columns, then one error on line 1 names them all', () => {
    const header = PUPILS_HEADER.replace('date_of_birth', 'dob').replace(
      'on_roll',
      'on_roll,notes',
    );
    const errors = errorsOf(parse(csv(header, 'x')));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(1);
    expect(errors[0]!.reason).toContain('unknown columns: dob, notes');
    expect(errors[0]!.reason).toContain('missing required columns: date_of_birth');
  });

  it('when a column appears twice in the header, then the file is refused on line 1', () => {
    const errors = errorsOf(parse(csv(`${PUPILS_HEADER},form`, `${pupilLine()},4P`)));
    expect(where(errors)).toEqual([[1, undefined]]);
    expect(errors[0]!.reason).toContain('repeated columns: form');
  });

  it('when optional columns are left out of the header, then rows parse with those fields empty', () => {
    const result = parse(
      csv(
        'MIS ID,Legal First Name,Legal Last Name,Date of Birth,Year Group,On Roll',
        'P1,Ada,Lovelace,2017-01-02,Year 4,yes',
      ),
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          line: 2,
          value: expect.objectContaining({ pupilId: 'P1', upn: undefined, form: undefined }),
        },
      ],
    });
  });

  it('when the file is empty or has only a header, then it is refused', () => {
    expect(errorsOf(parse(''))[0]!.reason).toBe('the file is empty');
    expect(errorsOf(parse(csv(PUPILS_HEADER)))[0]!.reason).toBe(
      'the file has no rows under its header',
    );
  });

  it.each(['=1+1', '+44 7700 900000', '-2', '@SUM(A1)'])(
    'when a cell starts like a formula (%s), then the line is refused naming the column',
    (cell) => {
      const errors = errorsOf(parse(csv(PUPILS_HEADER, pupilLine({ form: cell }))));
      expect(errors).toEqual([
        { line: 2, column: 'form', reason: expect.stringContaining('formula') },
      ]);
    },
  );

  it.each([
    ['a tab', 'Ja\tmes'],
    ['a line break', 'Ja\nmes'],
    ['a NUL', 'Ja\u0000mes'],
    ['a right-to-left override', 'Ja\u202emes'],
  ])('when a name contains %s, then the line is refused', (_what, name) => {
    const errors = errorsOf(parse(csv(PUPILS_HEADER, pupilLine({ legal_last_name: name }))));
    expect(where(errors)).toEqual([[2, 'legal_last_name']]);
    expect(errors[0]!.reason).toContain('control character');
  });

  it('when a name is 200 characters it is accepted, and at 201 it is refused', () => {
    expect(parse(csv(PUPILS_HEADER, pupilLine({ preferred_last_name: 'a'.repeat(200) }))).ok).toBe(
      true,
    );
    const errors = errorsOf(
      parse(csv(PUPILS_HEADER, pupilLine({ preferred_last_name: 'a'.repeat(201) }))),
    );
    expect(where(errors)).toEqual([[2, 'preferred_last_name']]);
  });

  it.each([
    ['2016-02-29', '2016-02-29'],
    ['29/02/2016', '2016-02-29'],
    ['1/9/2019', '2019-09-01'],
    ['2026-11-22', '2026-11-22'],
  ])('when date_of_birth is %s, then it reads as %s', (cell, iso) => {
    const result = parse(csv(PUPILS_HEADER, pupilLine({ date_of_birth: cell })));
    expect(result.ok && result.rows[0]?.value.dateOfBirth).toBe(iso);
  });

  it.each([
    '2015-02-29',
    '31/04/2016',
    '2016-13-01',
    '12/25/2016',
    '2016/02/01',
    'yesterday',
    '',
    '2026-11-23',
    '1899-12-31',
  ])('when date_of_birth is "%s", then the line is refused', (cell) => {
    const errors = errorsOf(parse(csv(PUPILS_HEADER, pupilLine({ date_of_birth: cell }))));
    expect(where(errors)).toEqual([[2, 'date_of_birth']]);
  });

  it.each([
    ['yes', true],
    ['No', false],
    ['TRUE', true],
    ['false', false],
    ['1', true],
    ['0', false],
  ])('when on_roll is %s, then it reads as %s', (cell, onRoll) => {
    const result = parse(csv(PUPILS_HEADER, pupilLine({ on_roll: cell })));
    expect(result.ok && result.rows[0]?.value.onRoll).toBe(onRoll);
  });

  it.each([
    ['R', 'Reception'],
    ['reception', 'Reception'],
    ['N', 'Nursery'],
    ['1', 'Year 1'],
    ['Y6', 'Year 6'],
    ['yr 11', 'Year 11'],
    ['Year 13', 'Year 13'],
  ])('when year_group is %s, then it reads as %s', (cell, yearGroup) => {
    const result = parse(csv(PUPILS_HEADER, pupilLine({ year_group: cell })));
    expect(result.ok && result.rows[0]?.value.yearGroup).toBe(yearGroup);
  });

  it('when a UPN is malformed or repeated, then those lines are refused', () => {
    const errors = errorsOf(
      parse(
        csv(
          PUPILS_HEADER,
          pupilLine({ mis_id: 'P1', upn: 'z00000000001a' }),
          pupilLine({ mis_id: 'P2', upn: 'Z00000000001A' }),
          pupilLine({ mis_id: 'P3', upn: 'Z0000' }),
        ),
      ),
    );
    expect(where(errors)).toEqual([
      [3, 'upn'],
      [4, 'upn'],
    ]);
    expect(errors[0]!.reason).toBe('upn Z00000000001A is already on line 2');
  });

  it('when mis_id is missing or has spaces, then the line is refused', () => {
    const errors = errorsOf(
      parse(csv(PUPILS_HEADER, pupilLine({ mis_id: '' }), pupilLine({ mis_id: 'P 2' }))),
    );
    expect(where(errors)).toEqual([
      [2, 'mis_id'],
      [3, 'mis_id'],
    ]);
  });

  it('when the file has a BOM, CRLF line ends and blank lines, then line numbers still match the file', () => {
    const text = `\ufeff${PUPILS_HEADER}\r\n${pupilLine({ mis_id: 'P1' })}\r\n\r\n,,,,,,,,,\r\n${pupilLine({ mis_id: 'P2', on_roll: 'maybe' })}\r\n`;
    expect(where(errorsOf(parse(text)))).toEqual([[5, 'on_roll']]);
  });

  it('when a quoted cell spans lines, then the error cites the line it starts on', () => {
    const text = csv(
      PUPILS_HEADER,
      pupilLine({ mis_id: 'P1' }),
      pupilLine({ mis_id: 'P2', legal_first_name: 'A\nB' }),
      pupilLine({ mis_id: 'P3', on_roll: '?' }),
    );
    expect(where(errorsOf(parse(text)))).toEqual([
      [3, 'legal_first_name'],
      [5, 'on_roll'],
    ]);
  });

  it('when a quote is misplaced, then that line is reported and the rest of the file is still checked', () => {
    const text = csv(
      PUPILS_HEADER,
      'P1,,Al"ex,Example,,,2017-05-01,Year 4,4E,yes',
      pupilLine({ mis_id: 'P2', on_roll: '?' }),
    );
    const errors = errorsOf(parse(text));
    expect(where(errors)).toEqual([
      [2, undefined],
      [3, 'on_roll'],
    ]);
    expect(errors[0]!.reason).toContain('"');
  });
});
