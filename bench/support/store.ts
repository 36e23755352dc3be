import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/shared/logger';
import { startEmbeddedStore } from '../../src/store/embedded-store';

/** The store every benchmark of a run shares; each benchmark works in a database of its own. */
export interface BenchStore {
  readonly uri: string;
  /** What it is, for the printed header. */
  readonly description: string;
  /** The server's process id when the bench started it (for its RSS and CPU figures). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when given; otherwise an embedded FerretDB on a free port with a temporary data
 * directory, removed again on stop.
 */
export async function startBenchStore(mongodbUri: string | undefined): Promise<BenchStore> {
  if (mongodbUri) {
    return {
      uri: mongodbUri,
      description: 'MONGODB_URI (external server)',
      pid: undefined,
      stop: async () => undefined,
    };
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safeguarding-bench-store-'));
  try {
    const store = await startEmbeddedStore({
      dataDir,
      port: 0,
      logger: createLogger('silent'),
      startTimeoutMs: 15 * 60_000,
    });
    return {
      uri: store.uri,
      description: `embedded FerretDB 1.24 (SQLite in ${dataDir}), pid ${store.pid}`,
      pid: store.pid,
      async stop() {
        await store.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** A database name of the bench's own: letters, digits and _ only, at most 38 characters. */
export function benchDatabaseName(benchmark: string): string {
  const base = benchmark.replace(/[^A-Za-z0-9]/g, '_').slice(0, 24);
  return `bench_${base}_${Date.now().toString(36)}`;
}
