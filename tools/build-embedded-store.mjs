#!/usr/bin/env node
// Builds (once) and locates the embedded store: our Go wrapper around FerretDB 1.24.2
// (tools/ferretdb-embedded). The binary is cached under the user's cache directory, keyed by a
// hash of the wrapper's sources and the Go version, so it is rebuilt only when they change and is
// shared between clones on the same machine.
//
//   node tools/build-embedded-store.mjs               build if needed, print the binary's path
//   node tools/build-embedded-store.mjs --if-go       as above, but only a note when Go is missing
//                                                      (used by postinstall: MONGODB_URI users need no Go)
//   node tools/build-embedded-store.mjs --print-path  build if needed; stdout is the path alone
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wrapperDir = path.join(here, 'ferretdb-embedded');
const sources = ['go.mod', 'go.sum', 'main.go'];
const args = new Set(process.argv.slice(2));

function goVersion() {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

function cacheRoot() {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'safeguarding-teams');
}

function main() {
  const go = goVersion();
  if (!go) {
    const msg =
      'The embedded store needs Go >= 1.24 to build (install Go, or set MONGODB_URI to a MongoDB server).';
    if (args.has('--if-go')) {
      process.stderr.write(`note: ${msg}\n`);
      return 0;
    }
    process.stderr.write(`${msg}\n`);
    return 3;
  }
  const hash = createHash('sha256');
  for (const f of sources) hash.update(f).update(fs.readFileSync(path.join(wrapperDir, f)));
  hash.update(go).update(process.platform).update(process.arch);
  const key = hash.digest('hex').slice(0, 16);
  const binary = path.join(cacheRoot(), `ferretdb-embedded-${key}`);

  if (!fs.existsSync(binary)) {
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    const tmp = `${binary}.${process.pid}.tmp`;
    process.stderr.write(
      'Building the embedded store (FerretDB 1.24.2); the first build takes a few minutes...\n',
    );
    const started = Date.now();
    const result = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
      cwd: wrapperDir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    if (result.status !== 0) {
      fs.rmSync(tmp, { force: true });
      process.stderr.write('Building the embedded store failed (see the Go output above).\n');
      return 1;
    }
    // rename is atomic: a concurrent build (two clones installing) never sees half a binary.
    fs.renameSync(tmp, binary);
    process.stderr.write(
      `Embedded store built in ${Math.round((Date.now() - started) / 1000)}s.\n`,
    );
  }
  if (args.has('--print-path')) process.stdout.write(binary);
  else if (!args.has('--if-go')) process.stdout.write(`${binary}\n`);
  return 0;
}

process.exitCode = main();
