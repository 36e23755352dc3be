import fs from 'node:fs';
import path from 'node:path';

/**
 * The folder holding package.json above this file: soak/ under ts-jest, dist-soak/soak/ when
 * built; either way the app to start is <root>/dist/main.js.
 */
export function projectRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
