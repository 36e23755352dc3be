import type { Pupil } from '../pupils';
import type { SchoolScope } from '../shared/school-scope';

/**
 * Elm Park's fictional pupils: Reception to Year 6, two forms a year ("4E", "4P"), 14 pupils a
 * form. Generated from fixed lists by arithmetic, never at random, so every start produces the
 * same ids and names (and the seed is idempotent). Every name is made up; no UPNs are given, so
 * none can be a real child's.
 */

// 64 names; the step below (7) is coprime to 64, so all are used before any repeats, and with the
// surnames' 57 no full name repeats in the first 3,648 pupils.
const FIRST_NAMES = splitNames(`
  Oliver, Amelia, Muhammad, Isla, George, Aisha, Noah, Olivia, Arjun, Zoë, Leo, Fatima,
  Harry, Mia, Kwame, Ava, Yusuf, Freya, Oscar, Amara, Jack, Sofia, Ibrahim, Grace, Theo,
  Maryam, Charlie, Chloé, Dylan, Priya, Rhys, Niamh, Kacper, Layla, Ethan, Siobhán,
  Tariq, Ruby, Finley, Zainab, Jayden, Ella, Chidi, Hannah, Luca, Maja, Rory, Ife,
  Samuel, Mei, Owen, Cerys, Hamza, Poppy, Alfie, Esme, Reuben, Anaya, Tobias, Renée, Kai,
  Imogen, José, Hollie
`);

// 57 names; the step below (11) is coprime to 57.
const LAST_NAMES = splitNames(`
  Smith, Jones, Williams, Brown, Taylor, Davies, Evans, Wilson, Thomas, Johnson, Roberts,
  Robinson, Wright, Walker, Khan, Ahmed, Patel, Singh, Hussain, Ali, Rahman, Chowdhury,
  Mahmood, Okoro, Mensah, Adebayo, Osei, Nwosu, Nowak, Kowalski, Wiśniewski, Chen, Wong,
  Nguyen, Li, O'Brien, Murphy, Kelly, MacDonald, Campbell, Hughes, Morgan, Price, Lewis,
  Edwards, Green, Hall, Wood, Jackson, Harris, Turner, Cooper, Phillips, Mitchell,
  Sharma, Da Silva, Bailey-Hughes
`);

const YEAR_GROUPS = ['Reception', 'Year 1', 'Year 2', 'Year 3', 'Year 4', 'Year 5', 'Year 6'];
const FORM_PREFIXES = ['R', '1', '2', '3', '4', '5', '6'];
const PER_FORM = 14;
const FORMS = ['E', 'P'];

/** "A, B,\n C" → ["A", "B", "C"]: one name list per paragraph, readable and diff-friendly. */
function splitNames(text: string): readonly string[] {
  return text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}

/** The academic year the ages fit (September 2025 to July 2026); fixed so the data never drifts. */
const ACADEMIC_YEAR_START = 2025;

/** The pupil whose parent works at the school (a conflict of interest in the demo staff). */
export const DEMO_CONFLICT_PUPIL_ID = 'EP1152';

type PupilNames = Pick<
  Pupil,
  'legalFirstName' | 'legalLastName' | 'preferredFirstName' | 'preferredLastName'
>;

// A few pupils known by another name than their legal one, and the staff member's child.
const NAMED: Readonly<Record<number, PupilNames>> = {
  3: {
    legalFirstName: 'Alexander',
    legalLastName: 'Novak',
    preferredFirstName: 'Sasha',
    preferredLastName: undefined,
  },
  17: {
    legalFirstName: 'Oluwaseun',
    legalLastName: 'Adeyemi',
    preferredFirstName: 'Seun',
    preferredLastName: undefined,
  },
  42: {
    legalFirstName: 'Elizabeth',
    legalLastName: 'Walsh',
    preferredFirstName: 'Libby',
    preferredLastName: undefined,
  },
  88: {
    legalFirstName: 'Jake',
    legalLastName: 'Kowalczyk',
    preferredFirstName: undefined,
    preferredLastName: 'Green',
  },
  130: {
    legalFirstName: 'Nathaniel',
    legalLastName: 'Ferreira',
    preferredFirstName: 'Nate',
    preferredLastName: undefined,
  },
  152: {
    legalFirstName: 'Ruby',
    legalLastName: 'Clarke',
    preferredFirstName: undefined,
    preferredLastName: undefined,
  },
};

/** Pupils who left last summer: still on file (their records stay), no longer on roll. */
const LEFT = new Set([27, 111]);

/** The demo school's pupils (196), the same on every call. */
export function demoPupils(): Omit<Pupil, keyof SchoolScope>[] {
  const pupils: Omit<Pupil, keyof SchoolScope>[] = [];
  YEAR_GROUPS.forEach((yearGroup, year) => {
    FORMS.forEach((formLetter, formIndex) => {
      for (let seat = 0; seat < PER_FORM; seat += 1) {
        const i = (year * FORMS.length + formIndex) * PER_FORM + seat;
        const names = NAMED[i] ?? {
          legalFirstName: pick(FIRST_NAMES, i * 7),
          legalLastName: pick(LAST_NAMES, i * 11 + 3),
          preferredFirstName: undefined,
          preferredLastName: undefined,
        };
        pupils.push({
          pupilId: `EP${1000 + i}`,
          upn: undefined,
          ...names,
          dateOfBirth: birthday(year, i),
          yearGroup,
          form: `${FORM_PREFIXES[year]}${formLetter}`,
          onRoll: !LEFT.has(i),
        });
      }
    });
  });
  return pupils;
}

function pick(names: readonly string[], n: number): string {
  return names[n % names.length] ?? '';
}

/** A date within the right school year for the year group (1 September to 31 August). */
function birthday(year: number, i: number): string {
  const firstOfSeptember = Date.UTC(ACADEMIC_YEAR_START - 5 - year, 8, 1);
  const day = (i * 37) % 365;
  return new Date(firstOfSeptember + day * 86_400_000).toISOString().slice(0, 10);
}
