import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { MongoClient } from 'mongodb';
import { startEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded-store';
import { createLogger } from '../../src/shared/logger';
import { buildTabClientIfChanged } from './tab-client-build';

declare global {
  // Shared between global setup and teardown (same process).
  var __EMBEDDED_STORE__: EmbeddedStore | undefined;
  var __EMBEDDED_STORE_DIR__: string | undefined;
}

const ROOT = path.join(__dirname, '..', '..');

/**
 * Builds dist/ (incremental: seconds when nothing changed) so process tests can run the real
 * `node dist/main.js`, and the tab client when its sources changed (browser tests load it), then
 * starts one embedded FerretDB for the run unless MONGODB_URI points at a real server.
 */
export default async function globalSetup(): Promise<void> {
  try {
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  } catch {
    // tsc still emits JavaScript; type errors are `npm run typecheck`'s job (CI runs it first).
    process.stderr.write('\nwarning: dist/ was built with type errors (see `npm run typecheck`)\n');
  }
  buildTabClientIfChanged();
  if (process.env.MONGODB_URI) {
    await checkReachable(process.env.MONGODB_URI);
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
  // Workers are forked after global setup and inherit these.
  process.env.TEST_MONGODB_URI = store.uri;
  // The store's own files, for tests that look at what is at rest on disk.
  process.env.TEST_STORE_DIR = dataDir;
}

/**
 * A given server that cannot be reached fails the run once, up front, rather than every test
 * after its own timeout. The URI may hold a password: only the host is named.
 */
async function checkReachable(uri: string): Promise<void> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 15_000 });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } catch (error) {
    const host = /^mongodb(?:\+srv)?:\/\/(?:[^@/]*@)?([^/?]*)/.exec(uri)?.[1] ?? 'the server';
    throw new Error(
      `MONGODB_URI is set, but ${host} did not answer a ping (${(error as Error).name}); unset it to test on the embedded store`,
    );
  } finally {
    await client.close();
  }
}
