import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const SOURCES = path.join(ROOT, 'tab-client');
const OUT = path.join(ROOT, 'dist', 'tab-client');
// Outside the served folder: the static route must not serve build bookkeeping.
const STAMP = path.join(ROOT, 'dist', '.tab-client.stamp');

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
    );
}

/** A hash of the client's sources and the lock file (new packages change the bundle too). */
function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(SOURCES), path.join(ROOT, 'package-lock.json')].sort()) {
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file));
  }
  return hash.digest('hex');
}

/**
 * Builds the tab client with Vite into dist/tab-client/ unless it is already built from these
 * exact sources (a hash stamp), so browser tests and `npm start` always serve the current client.
 */
export function buildTabClientIfChanged(): void {
  const hash = sourceHash();
  const built = fs.existsSync(path.join(OUT, 'index.html'));
  if (built && fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === hash) return;
  execFileSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'tab-client/vite.config.mts',
      '--logLevel',
      'warn',
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  fs.writeFileSync(STAMP, hash);
}
