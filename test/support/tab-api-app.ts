import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningApp } from '../../src/app';
import type { Logger } from '../../src/shared/logger';
import { EntraStandIn } from './entra-stand-in';
import { startTestApp, stopTestApp } from './test-app';

/** The demo tenant and the tab's client id the stand-in signs tokens for. */
const TENANT = '00000000-0000-0000-0000-0000000000d1';
const CLIENT_ID = '7d1f2b3c-4a5e-4f60-8a7b-9c0d1e2f3a4b';

// Answers are read loosely: each test states the shape it expects.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The app with the demo school and Entra's stand-in, called over HTTP as a person of the demo. */
export interface TabApiApp {
  readonly app: RunningApp;
  /** Calls `/api/tab/<apiPath>` with a token for `oid` carrying `claims` (e.g. step-up). */
  call(
    method: 'GET' | 'POST' | 'PUT',
    apiPath: string,
    oid: string,
    claims?: Record<string, unknown>,
    body?: unknown,
  ): Promise<{ status: number; body: Json }>;
  stop(): Promise<void>;
}

/** Starts the app on the run's store (demo school seeded) with a placeholder tab client. */
export async function startTabApiApp(testFile: string, logger: Logger): Promise<TabApiApp> {
  const entra = await EntraStandIn.create();
  const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-client-'));
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>tab</title>');
  const app = await startTestApp(
    testFile,
    logger,
    { TAB_CLIENT_ID: CLIENT_ID, DEMO_SEED: 'true' },
    { tab: { keys: entra.keys, clientDir } },
  );
  return {
    app,
    async call(method, apiPath, oid, claims = {}, body) {
      const sendsBody = method !== 'GET';
      const res = await fetch(`${app.baseUrl}/api/tab/${apiPath}`, {
        method,
        headers: {
          authorization: `Bearer ${await entra.token(TENANT, oid, CLIENT_ID, claims)}`,
          ...(sendsBody ? { 'content-type': 'application/json' } : {}),
        },
        ...(sendsBody ? { body: JSON.stringify(body ?? {}) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
    },
    async stop() {
      await stopTestApp(app);
      fs.rmSync(clientDir, { recursive: true, force: true });
    },
  };
}
