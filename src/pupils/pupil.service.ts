import { clampLimit, querySearchWords } from '../shared/name-search';
import type { SchoolScope } from '../shared/school-scope';
import type { Pupil } from './pupil.types';

/** What the pupil directory needs from storage (PupilRepository provides it). */
export interface PupilStore {
  search(scope: SchoolScope, words: readonly string[], limit: number): Promise<Pupil[]>;
  findByIds(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]>;
  listAll(scope: SchoolScope, limit: number): Promise<Pupil[]>;
}

const MAX_SEARCH_RESULTS = 50;

/**
 * Finds pupils of one school for the people recording concerns. Always scoped to the acting
 * school: another school's pupils are never returned, whatever ids or words are asked for.
 */
export class PupilDirectory {
  constructor(private readonly store: PupilStore) {}

  /**
   * Pupils whose preferred or legal names match every word of the query by its start, in any
   * order, ignoring case and accents ("jam smi" finds James Smith); on-roll pupils first, then by
   * last name. A blank query gives [] (no browsing the whole roll); at most 50 results.
   */
  async searchPupils(scope: SchoolScope, query: string, limit = 15): Promise<Pupil[]> {
    const words = querySearchWords(query);
    if (words.length === 0) return [];
    return this.store.search(scope, words, clampLimit(limit, MAX_SEARCH_RESULTS));
  }

  /** The school's pupils with these ids, in the order asked; unknown ids are simply absent. */
  async findPupils(scope: SchoolScope, pupilIds: readonly string[]): Promise<Pupil[]> {
    if (pupilIds.length === 0) return [];
    const found = new Map((await this.store.findByIds(scope, pupilIds)).map((p) => [p.pupilId, p]));
    return [...new Set(pupilIds)].flatMap((id) => found.get(id) ?? []);
  }

  /**
   * The whole roll, for matching names in text (a subject access bundle's proposed redactions);
   * never for browsing: the tab's search stays word by word.
   */
  async listRoll(scope: SchoolScope, limit = 5_000): Promise<Pupil[]> {
    return this.store.listAll(scope, limit);
  }

  /** One pupil of the school, or undefined when the school has no pupil with that id. */
  async getPupil(scope: SchoolScope, pupilId: string): Promise<Pupil | undefined> {
    const [pupil] = await this.store.findByIds(scope, [pupilId]);
    return pupil;
  }
}
