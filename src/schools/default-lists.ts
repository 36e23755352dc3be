import type { AgencyInput, CategoryInput } from './school-lists.types';

/**
 * teamOnly: records only the safeguarding team (and the person who recorded it) may open; colleagues
 * the recorder alerts are told there is something but cannot open it (the access policy). These are the categories where a wider audience could put a child at risk or expose
 * a family's statutory involvement: child protection, child in need, CAF level 3 (multi-agency
 * early help at the level below statutory), domestic violence, looked after child, Prevent,
 * self-harm and peer-on-peer abuse. Everything else stays visible to staff under the usual
 * need-to-know rules; a school can change either flag.
 */
const TEAM_ONLY = new Set([
  'child-protection',
  'child-in-need',
  'caf-level-3',
  'domestic-violence',
  'looked-after-child',
  'prevent',
  'self-harm',
  'peer-on-peer-abuse',
]);

/** offersBodyMap: where marks or injuries may point to abuse (not first aid), so the form offers the body map. */
const BODY_MAP = new Set([
  'child-protection',
  'safeguarding',
  'domestic-violence',
  'team-teach-incident',
  'self-harm',
  'peer-on-peer-abuse',
]);

// The seed school's list (safeguarding.md) plus the categories other schools commonly add.
const CATEGORY_NAMES: readonly (readonly [string, string])[] = [
  ['attendance', 'Attendance'],
  ['behaviour', 'Behaviour'],
  ['bullying', 'Bullying'],
  ['caf-level-2', 'CAF level 2'],
  ['caf-level-3', 'CAF level 3'],
  ['care-plan', 'Care plan'],
  ['child-in-need', 'Child in need'],
  ['child-protection', 'Child protection'],
  ['disability', 'Disability'],
  ['domestic-violence', 'Domestic violence'],
  ['education-health-care-plan', 'Education health care plan'],
  ['looked-after-child', 'Looked after child'],
  ['medical', 'Medical'],
  ['mental-health', 'Mental health'],
  ['online-safety', 'Online safety'],
  ['parent-conversations', 'Parent conversations'],
  ['peer-on-peer-abuse', 'Peer-on-peer abuse'],
  ['prevent', 'Prevent'],
  ['punctuality', 'Punctuality'],
  ['racial-incidents', 'Racial incidents'],
  ['safeguarding', 'Safeguarding'],
  ['self-harm', 'Self-harm'],
  ['special-educational-needs', 'Special educational needs'],
  ['team-teach-incident', 'Team teach incident (restraint)'],
  ['well-being', 'Well-being'],
];

/**
 * The categories a new school starts with, alphabetical (easiest to scan in a picker), with
 * gaps of 10 in `order` so a school can slot its own in between.
 */
export const DEFAULT_CATEGORIES: readonly CategoryInput[] = CATEGORY_NAMES.map(
  ([categoryId, name], i) => ({
    categoryId,
    name,
    teamOnly: TEAM_ONLY.has(categoryId),
    offersBodyMap: BODY_MAP.has(categoryId),
    active: true,
    order: (i + 1) * 10,
  }),
);

const AGENCY_NAMES: readonly (readonly [string, string])[] = [
  ['social-care-mash', "Children's social care / MASH"],
  ['police', 'Police'],
  ['nhs-camhs', 'NHS / CAMHS'],
  ['school-nurse', 'School nurse'],
  ['lado', 'LADO'],
  ['early-help', 'Early help'],
  ['gp', 'GP'],
  ['education-welfare', 'Education welfare'],
  ['other', 'Other'],
];

/** The agencies a new school starts with, most often involved first and "Other" last. */
export const DEFAULT_AGENCIES: readonly AgencyInput[] = AGENCY_NAMES.map(([agencyId, name], i) => ({
  agencyId,
  name,
  childrensSocialCare: agencyId === 'social-care-mash',
  active: true,
  order: (i + 1) * 10,
}));
