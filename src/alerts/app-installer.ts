/** What installing the app for someone came to. */
export type InstallResult =
  | { kind: 'installed' }
  | { kind: 'not-permitted'; reason: string }
  | { kind: 'retry-later'; retryAfterHeader?: string };

/**
 * Installs the Teams app for a person who does not have it, so their alert can be delivered
 * (Microsoft Graph in production; see src/graph). Optional: without one, such alerts are
 * undeliverable and the team is told.
 */
export interface AppInstaller {
  installForUser(tenantId: string, aadObjectId: string): Promise<InstallResult>;
}
