import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnApp, waitForExit } from '../../support/app-process';

const ROOT = path.join(__dirname, '..', '..', '..');

/** Environment for a development start on the embedded store in a temporary directory. */
function developmentEnv(dataDir: string): Record<string, string> {
  return {
    APP_MODE: 'development',
    PORT: '0',
    EMBEDDED_STORE_DIR: dataDir,
    PLAYGROUND: 'false',
    LOG_LEVEL: 'info',
  };
}

function storePidFrom(lines: string[]): number {
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as { msg?: string; pid?: number };
    if (entry.msg === 'embedded store started' && entry.pid) return entry.pid;
  }
  throw new Error('the app did not log the embedded store pid');
}

describe('the app as a process (node dist/main.js)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-process-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('when started with APP_MODE=development and nothing else, then it serves /readyz on the embedded store, and Ctrl-C leaves no store behind', async () => {
    const app = spawnApp(developmentEnv(dataDir));
    const endpointLine = await app.waitForLine((l) => l.includes('Bot endpoint:'));
    const baseUrl = /(http:\/\/\S+)\/api\/messages/.exec(endpointLine)![1];
    expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
    const storePid = storePidFrom(app.stdout);
    expect(app.stdout.join('\n')).toContain('DEVELOPMENT MODE');

    app.child.kill('SIGINT');
    expect(await app.exited).toBe(0);
    expect(await waitForExit(storePid)).toBe(true);
    // The store kept its data on disk in the configured directory.
    expect(fs.readdirSync(dataDir).some((f) => f.endsWith('.sqlite'))).toBe(true);
  });

  it('when the app is killed with SIGKILL, then the embedded store notices and exits too', async () => {
    const app = spawnApp(developmentEnv(dataDir));
    await app.waitForLine((l) => l.includes('Bot endpoint:'));
    const storePid = storePidFrom(app.stdout);

    app.child.kill('SIGKILL');
    await app.exited;
    expect(await waitForExit(storePid)).toBe(true);
  });

  it('when production mode lacks credentials, then it refuses to start and names every missing key', async () => {
    const app = spawnApp({ APP_MODE: 'production' });
    expect(await app.exited).toBe(1);
    const stderr = app.stderr.join('\n');
    for (const key of [
      'MicrosoftAppId',
      'MicrosoftAppPassword',
      'MicrosoftAppTenantId',
      'TAB_CLIENT_ID',
      'MONGODB_URI',
      'PUBLIC_BASE_URL',
    ]) {
      expect(stderr).toContain(key);
    }
  });

  it('when Go is missing and no MONGODB_URI is set, then the store build says what to do in one line', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'tools', 'build-embedded-store.mjs'), '--print-path'],
        { env: { PATH: '/nonexistent', HOME: os.tmpdir() } },
        (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('install Go');
    expect(result.stderr).toContain('MONGODB_URI');
  });
});
