import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mongoose';
import { SchoolRepository } from '../../../src/schools';
import { connectStore, syncAllIndexes } from '../../../src/store/connection';
import { dropTestStore, testDatabaseName, testStoreUri } from '../../support/test-store';

const ROOT = path.join(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli', 'import-directory-cli.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'directory');
// config.ts's default DEMO_TENANT_ID: what the CLI uses in development without --tenant.
const DEMO_TENANT = '00000000-0000-0000-0000-0000000000d1';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('npm run import (the built CLI, as a child process, on the run’s store)', () => {
  let connection: Connection;
  let dbName: string;
  let cwd: string;

  /** Runs `node dist/cli/import-directory-cli.js ...args` with only the env it needs. */
  function runCli(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [CLI, ...args],
        {
          // A directory without a .env, so only this environment counts.
          cwd,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            APP_MODE: 'development',
            MONGODB_URI: testStoreUri(),
            MONGODB_DB_NAME: dbName,
            LOG_LEVEL: 'warn',
          },
          timeout: 60_000,
        },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  }

  beforeAll(async () => {
    dbName = testDatabaseName(__filename);
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'import-cli-'));
    connection = await connectStore(testStoreUri(), dbName);
    const schools = new SchoolRepository(connection);
    await syncAllIndexes(connection);
    await schools.upsert({
      tenantId: DEMO_TENANT,
      schoolId: 'elm-park',
      name: 'Elm Park Community School',
      referencePrefix: 'EPC',
    });
    await schools.upsert({
      tenantId: 'trust-9',
      schoolId: 'north',
      name: 'North',
      referencePrefix: 'NTH',
    });
    await schools.upsert({
      tenantId: 'trust-9',
      schoolId: 'south',
      name: 'South',
      referencePrefix: 'STH',
    });
  });
  afterAll(async () => {
    await dropTestStore(connection);
    fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('when the file has bad lines, then it exits 1, lists each line and imports nothing', async () => {
    const run = await runCli('pupils', path.join(FIXTURES, 'pupils-bad.csv'));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('pupils-bad.csv: nothing was imported. 10 problem(s) to fix:');
    for (const line of [3, 4, 5, 6, 7, 8, 9, 10, 12, 13]) {
      expect(run.stderr).toMatch(new RegExp(`^  line ${line}: `, 'm'));
    }
    expect(run.stderr).toContain('line 4: date_of_birth must be a real date');
    expect(run.stderr).not.toMatch(/Patel|Noah|Hughes/);
    expect(await connection.collection('pupils').countDocuments()).toBe(0);
  });

  it('when the file is clean, then it imports into the only school and prints counts, not names', async () => {
    const first = await runCli('pupils', path.join(FIXTURES, 'pupils.csv'));
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      `Imported 10 pupils from pupils.csv into school elm-park (tenant ${DEMO_TENANT}): 10 created, 0 updated, 0 unchanged.\n`,
    );
    expect(first.stdout).not.toMatch(/James|Smith|Zoë/);

    const again = await runCli('pupils', path.join(FIXTURES, 'pupils.csv'));
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 created, 0 updated, 10 unchanged.');
    expect(await connection.collection('pupils').countDocuments({ schoolId: 'elm-park' })).toBe(10);
  });

  it('when staff are imported after pupils, then their conflicts resolve and they are stored', async () => {
    const run = await runCli(
      'staff',
      path.join(FIXTURES, 'staff.csv'),
      '--tenant',
      DEMO_TENANT,
      '--school=elm-park',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Imported 6 staff from staff.csv into school elm-park');
    expect(await connection.collection('staff').countDocuments()).toBe(6);
  });

  it('when the tenant has several schools and none is named, then it exits 2 and asks for --school', async () => {
    const run = await runCli('pupils', path.join(FIXTURES, 'pupils.csv'), '--tenant', 'trust-9');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'tenant trust-9 has several schools (north, south): pass --school',
    );
    expect(await connection.collection('pupils').countDocuments({ tenantId: 'trust-9' })).toBe(0);
  });

  it('when it is called wrongly, then it exits 2 with the usage', async () => {
    const run = await runCli('teachers', 'x.csv');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run import -- pupils <file.csv>');
  });
});
