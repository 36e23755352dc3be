import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded-store';
import { createLogger } from '../../src/shared/logger';

declare global {
  // Shared between global setup and teardown (same process).
  var __EMBEDDED_STORE__: EmbeddedStore | undefined;
  var __EMBEDDED_STORE_DIR__: string | undefined;
}

/** Starts one embedded FerretDB for the run unless MONGODB_URI points at a real server. */
export default async function globalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeguarding-test-store-'));
  const store = await startEmbeddedStore({
    dataDir,
    port: 0,
    logger: createLogger('warn'),
    startTimeoutMs: 15 * 60_000,
  });
  globalThis.__EMBEDDED_STORE__ = store;
  globalThis.__EMBEDDED_STORE_DIR__ = dataDir;
  // Workers are forked after global setup and inherit this.
  process.env.TEST_MONGODB_URI = store.uri;
}
