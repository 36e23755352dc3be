import type { SchoolScope } from '../shared/school-scope';

/** One of the school's concern categories (editable per school; seeded from safeguarding.md). */
export interface Category extends SchoolScope {
  /** Stable slug, e.g. "child-protection". */
  readonly categoryId: string;
  readonly name: string;
  /** Records in this category are visible to the safeguarding team only. */
  readonly teamOnly: boolean;
  /** The form offers the body map for this category (child protection suspected). */
  readonly offersBodyMap: boolean;
  readonly active: boolean;
  readonly order: number;
}

/** An outside agency a record can involve (social care / MASH, police, CAMHS, LADO, ...). */
export interface Agency extends SchoolScope {
  readonly agencyId: string;
  readonly name: string;
  /**
   * Children's social care (the MASH, the front door): a referral to it starts the one-working-day
   * decision clock. A flag, not an id, so a school with two (two local authorities) gets both.
   */
  readonly childrensSocialCare: boolean;
  readonly active: boolean;
  readonly order: number;
}

/** A category as an admin (or the defaults) gives it: the school comes from the scope. */
export type CategoryInput = Omit<Category, keyof SchoolScope>;

/** An agency as an admin (or the defaults) gives it: the school comes from the scope. */
export type AgencyInput = Omit<Agency, keyof SchoolScope>;
