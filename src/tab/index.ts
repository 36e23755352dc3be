export { DevTokenIssuer } from './dev-sign-in';
export {
  EntraTokenVerifier,
  entraIssuers,
  entraKeySets,
  type TenantKeySets,
  type TokenVerifier,
  type VerifiedIdentity,
} from './entra-token-verifier';
export { WindowRateLimiter } from './rate-limit';
export { registerStaticTab } from './static-tab';
export { registerTabApi, type TabApiDependencies } from './tab-routes';
