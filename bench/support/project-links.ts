import fs from 'node:fs';
import path from 'node:path';

/**
 * src/ finds cards/ and tools/ two folders above its compiled files (dist/bot/render-card.js →
 * cards/). Compiled into dist-bench/ with bench/ beside it, src lands one folder deeper
 * (dist-bench/src/bot/…), so the bench links <build>/cards and <build>/tools to the project's
 * folders before the app starts. Only the bench's own build output is touched.
 */
export function linkProjectFolders(buildDir: string): void {
  const projectRoot = findProjectRoot(path.dirname(buildDir));
  for (const folder of ['cards', 'tools']) {
    const link = path.join(buildDir, folder);
    const target = path.join(projectRoot, folder);
    // An existing link is left alone (a build of another checkout may point elsewhere on purpose).
    if (isLink(link)) continue;
    fs.symlinkSync(path.relative(buildDir, target), link, 'dir');
  }
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The nearest folder at or above `from` holding package.json. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
