import fs from 'node:fs';

/** Stops the run's embedded store and removes its data directory. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__EMBEDDED_STORE__?.stop();
  if (globalThis.__EMBEDDED_STORE_DIR__) {
    fs.rmSync(globalThis.__EMBEDDED_STORE_DIR__, { recursive: true, force: true });
  }
}
