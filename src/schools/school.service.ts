import { AppError } from '../shared/errors';
import type { School } from './school.types';

/** What the school service needs from storage. */
export interface SchoolStore {
  listForTenant(tenantId: string): Promise<School[]>;
}

/**
 * Finds the school a Teams user acts in. Deny by default: a tenant with no school configured gets
 * a clear refusal, never a guess.
 */
export class SchoolService {
  constructor(private readonly store: SchoolStore) {}

  /**
   * The school for a user of this tenant. Until the staff directory says which school of a trust a
   * person works at, a tenant must have exactly one school.
   */
  async resolveSchool(tenantId: string): Promise<School> {
    const schools = await this.store.listForTenant(tenantId);
    const [only, ...others] = schools;
    if (!only || others.length > 0) {
      throw new AppError(
        'SCHOOL.NOT_CONFIGURED',
        schools.length === 0
          ? 'No school is configured for this tenant'
          : 'Tenant has several schools',
      );
    }
    return only;
  }
}
