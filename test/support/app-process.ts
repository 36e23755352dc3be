import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { clockShiftEnv } from './clock-shift';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Where children run: a directory of the tests' own, outside the repository, shared by runs and
 * workers so nothing piles up. Never the project root: main.ts reads a .env from its working
 * directory, and a developer's .env would fill in whatever a test left unset (their
 * MicrosoftAppId, HOST=0.0.0.0 …); relative defaults (./data, the development key ring) land
 * here too, not in the developer's own ./data.
 */
const CHILD_CWD = path.join(os.tmpdir(), 'safeguarding-app-process');

function childDirectory(): string {
  fs.mkdirSync(CHILD_CWD, { recursive: true, mode: 0o700 });
  if (fs.existsSync(path.join(CHILD_CWD, '.env'))) {
    throw new Error(`${CHILD_CWD}/.env exists: the app would read it; remove it`);
  }
  return CHILD_CWD;
}

/** `node dist/main.js` as a child process, with what it printed so far. */
export interface AppProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves with the first stdout line matching, or rejects after the timeout. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/**
 * Starts the built app (global setup builds dist/) with exactly this environment plus PATH and
 * HOME (the store's Go build cache lives there) and the test run's clock shift, if any, in a
 * directory without a .env: nothing of the developer's shell or .env (NODE_ENV, a hosting
 * platform's variables, real keys) reaches it.
 */
export function spawnApp(env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
    cwd: childDirectory(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...clockShiftEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const listeners = new Set<(line: string) => void>();
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout.push(line);
    listeners.forEach((l) => l(line));
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine(match, timeoutMs = 60_000) {
      const seen = stdout.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching line in ${timeoutMs} ms; stderr: ${stderr.join('\n')}`));
        }, timeoutMs);
        const check = (line: string) => {
          if (!match(line)) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(line);
        };
        listeners.add(check);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`app exited; stderr: ${stderr.join('\n')}`));
        });
      });
    },
  };
}

/** True while a process with this pid exists. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until the pid is gone; false if it is still alive after the timeout. */
export async function waitForExit(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
