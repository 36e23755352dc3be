export type { TenantKeySets } from './entra-token-verifier';
export { createTabRoutes, type TabOptions } from './tab-api-factory';
