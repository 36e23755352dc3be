import { z } from 'zod';

/**
 * England and Wales bank holidays (gov.uk), 2026 and 2027: the default when BANK_HOLIDAYS is not
 * set. Substitute days are listed where the day itself falls at a weekend (Boxing Day 2026,
 * Christmas and Boxing Day 2027). A deployment past 2027 must set BANK_HOLIDAYS.
 */
export const ENGLAND_BANK_HOLIDAYS_2026_2027: readonly string[] = Object.freeze([
  '2026-01-01',
  '2026-04-03',
  '2026-04-06',
  '2026-05-04',
  '2026-05-25',
  '2026-08-31',
  '2026-12-25',
  '2026-12-28',
  '2027-01-01',
  '2027-03-26',
  '2027-03-29',
  '2027-05-03',
  '2027-05-31',
  '2027-08-30',
  '2027-12-27',
  '2027-12-28',
]);

/** BANK_HOLIDAYS env text: `2026-12-25,2026-12-28` (each a real YYYY-MM-DD date). */
export const bankHolidaysText = z
  .string()
  .transform((text) =>
    text
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== ''),
  )
  .pipe(z.array(z.iso.date('a bank holiday as YYYY-MM-DD')));
