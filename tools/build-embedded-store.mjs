#!/usr/bin/env node
// Builds (once) and locates the embedded store: our Go wrapper (tools/ferretdb-embedded) around
// FerretDB v1.24.2 with our local patches applied (tools/ferretdb-embedded/patches/*.patch).
//
// The build: `go mod download` FerretDB v1.24.2 through the Go module proxy (checked against the
// wrapper's go.sum), copy it to a temporary directory, apply the patches (strictly, in Node:
// ferretdb-embedded/apply-patch.mjs), copy the wrapper beside it with a `replace` pointing at the
// patched copy (the committed go.mod stays as it is), `go build`, delete the temporary directory.
// The binary is cached under the user's cache directory, keyed by a hash of the wrapper's sources,
// the patches, this script, the Go version and the platform, so it is rebuilt only when one of
// them changes and is shared between clones on the same machine.
//
//   node tools/build-embedded-store.mjs               build if needed, print the binary's path
//   node tools/build-embedded-store.mjs --if-go       as above, but only a note when Go is missing
//                                                      (used by postinstall: MONGODB_URI users need no Go)
//   node tools/build-embedded-store.mjs --print-path  build if needed; stdout is the path alone
//   node tools/build-embedded-store.mjs --go-test     run the patched SQLite backend's Go tests
//                                                      (the patch's own among them; about a minute)
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyUnifiedDiff } from './ferretdb-embedded/apply-patch.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const wrapperDir = path.join(here, 'ferretdb-embedded');
const patchesDir = path.join(wrapperDir, 'patches');
const wrapperSources = ['go.mod', 'go.sum', 'main.go'];
const FERRETDB_MODULE = 'github.com/FerretDB/FerretDB';
const FERRETDB_VERSION = 'v1.24.2';
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

function patchFiles() {
  return fs
    .readdirSync(patchesDir)
    .filter((f) => f.endsWith('.patch'))
    .sort();
}

function cacheKey(go) {
  const hash = createHash('sha256');
  const add = (label, file) => hash.update(label).update('\0').update(fs.readFileSync(file));
  for (const f of wrapperSources) add(f, path.join(wrapperDir, f));
  for (const f of patchFiles()) add(`patches/${f}`, path.join(patchesDir, f));
  add('build-embedded-store.mjs', fileURLToPath(import.meta.url));
  add('apply-patch.mjs', path.join(wrapperDir, 'apply-patch.mjs'));
  hash.update(FERRETDB_VERSION).update(go).update(process.platform).update(process.arch);
  return hash.digest('hex').slice(0, 16);
}

/** Module cache files are read-only; the copy must be writable to patch it and to delete it. */
function makeWritable(dir) {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(p);
    else if (entry.isFile()) fs.chmodSync(p, 0o644);
  }
}

function run(cmd, argv, cwd, capture = false) {
  const result = spawnSync(cmd, argv, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  if (result.status !== 0) {
    throw new Error(`${cmd} ${argv.join(' ')} failed (exit ${result.status ?? result.signal})`);
  }
  return result.stdout;
}

/** A patched copy of FerretDB's module under `tmp/ferretdb`. */
function patchedFerretDB(tmp) {
  // Run inside the wrapper module so the download is checked against its go.sum.
  const info = JSON.parse(
    run(
      'go',
      ['mod', 'download', '-json', `${FERRETDB_MODULE}@${FERRETDB_VERSION}`],
      wrapperDir,
      true,
    ),
  );
  if (!info.Dir || info.Error) throw new Error(`go mod download: ${info.Error ?? 'no Dir'}`);

  const ferretdb = path.join(tmp, 'ferretdb');
  fs.cpSync(info.Dir, ferretdb, { recursive: true });
  makeWritable(ferretdb);
  for (const f of patchFiles()) {
    const touched = applyUnifiedDiff(
      ferretdb,
      fs.readFileSync(path.join(patchesDir, f), 'utf8'),
      f,
    );
    process.stderr.write(`applied ${f} (${touched.length} files)\n`);
  }
  return ferretdb;
}

/** Builds the patched wrapper into `output`. */
function build(output) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-embedded-build-'));
  try {
    patchedFerretDB(tmp);
    const wrapper = path.join(tmp, 'wrapper');
    fs.mkdirSync(wrapper);
    for (const f of wrapperSources)
      fs.copyFileSync(path.join(wrapperDir, f), path.join(wrapper, f));
    run('go', ['mod', 'edit', `-replace=${FERRETDB_MODULE}=../ferretdb`], wrapper);
    run('go', ['build', '-trimpath', '-o', output, '.'], wrapper);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Runs the Go tests of the patched SQLite backend (the patch's own unit tests among them) in a
 * patched copy. FerretDB as the main module needs its release-time version file, and its test
 * helpers find the repository's root by a `.git` entry: both are made here.
 */
function goTest() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferretdb-embedded-test-'));
  try {
    const ferretdb = patchedFerretDB(tmp);
    fs.writeFileSync(
      path.join(ferretdb, 'build', 'version', 'version.txt'),
      `${FERRETDB_VERSION}\n`,
    );
    fs.mkdirSync(path.join(ferretdb, '.git'));
    run('go', ['test', '-count=1', './internal/backends/sqlite/...'], ferretdb);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
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
  if (args.has('--go-test')) {
    try {
      goTest();
      return 0;
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
  }
  const binary = path.join(cacheRoot(), `ferretdb-embedded-${cacheKey(go)}`);

  if (!fs.existsSync(binary)) {
    fs.mkdirSync(path.dirname(binary), { recursive: true });
    const tmp = `${binary}.${process.pid}.tmp`;
    process.stderr.write(
      `Building the embedded store (FerretDB ${FERRETDB_VERSION} with our patches); the first build takes a few minutes...\n`,
    );
    const started = Date.now();
    try {
      build(tmp);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      process.stderr.write(
        `Building the embedded store failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
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
