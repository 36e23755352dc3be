// Over 300 lines: the development launcher of Microsoft's Agents Playground (finding its binary,
// its ports, its environment and stopping its process tree), used by `npm start` and the e2e
// tests; its config derivation is in playground-config.ts.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { currentUserOf, playgroundConfigAs } from './playground-config';

/** A running Agents Playground owned by this process. */
export interface RunningPlayground {
  /** Where a developer opens the emulated Teams client (and where tests call its HTTP API). */
  readonly url: string;
  /** Who you are in it: the display name of its current user. */
  readonly currentUser: string;
  /** SIGTERM, then SIGKILL after a timeout; resolves once the process has exited. */
  stop(): Promise<void>;
}

/** How to start the Playground; one instance per emulated person. */
export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Port for its UI and API (PLAYGROUND_PORT); 0 picks a free one, for tests. */
  port: number;
  logger: Logger;
  /** Working directory; its .m365agentsplayground.yml is used. Defaults to the project root. */
  cwd?: string;
  /** Config file (tenant, current user, users, chats), relative to cwd; a second person needs a second file. */
  configFile?: string;
  /**
   * Be this person (a display name among the config's `users`) instead of its current user: the
   * instance runs on a copy of the config with the two swapped and a personal chat of their own
   * (see {@link playgroundConfigAs}), written to its private temporary directory. How `npm start`
   * gives the DSL a Playground of her own without a second file to keep in step with the first.
   */
  as?: string;
  /** How long to wait for its HTTP port to answer. */
  startTimeoutMs?: number;
}

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CONFIG_FILE_NAME = '.m365agentsplayground.yml';
const LOG_DIR_PREFIX = 'safeguarding-playground-';

/**
 * Runs inside the child, then loads the Playground's own cli.js in the same process (so there is no
 * grandchild to orphan). Its stdin is a pipe from us: when we die, however we die (even SIGKILL),
 * the pipe closes and it exits. Ctrl-C reaches the whole process group: it ignores SIGINT and lets
 * us stop it in order (SIGTERM). It also binds the Playground to 127.0.0.1: the Playground can speak
 * as any demo user and must not be reachable from the network.
 */
const WRAPPER = `'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && typeof args[1] !== 'string') args.splice(1, 0, '127.0.0.1');
  return listen.apply(this, args);
};
const logDir = path.dirname(process.env.M365_AGENTS_PLAYGROUND_LOGFILE || '');
const orphaned = () => {
  if (path.basename(logDir).startsWith('${LOG_DIR_PREFIX}')) {
    try { fs.rmSync(logDir, { recursive: true, force: true }); } catch {}
  }
  process.exit(0);
};
process.stdin.on('end', orphaned);
process.stdin.on('error', orphaned);
process.stdin.resume();
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => {});
const [cli, ...args] = process.argv.slice(1);
process.argv = [process.argv[0], cli, ...args];
require(cli);
`;

/** Environment keys the child may inherit: enough to run node, nothing of ours (no secrets). */
const INHERITED_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'TEMP',
  'TMP',
  'LANG',
  'LC_ALL',
  'TZ',
  'SystemRoot',
  'windir',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  // libfaketime (`npm run test:at`): the emulated Teams client keeps the same clock as the app.
  'LD_PRELOAD',
  'FAKETIME',
  'FAKETIME_DONT_FAKE_MONOTONIC',
];

/**
 * Starts Microsoft's Agents Playground (a local Teams emulator) against the bot and resolves once
 * its HTTP port answers. Development and tests only.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const log = options.logger.child({ component: 'playground' });
  const cwd = path.resolve(options.cwd ?? PROJECT_ROOT);
  const givenConfigPath = path.resolve(cwd, options.configFile ?? CONFIG_FILE_NAME);
  if (!fs.existsSync(givenConfigPath)) {
    // Without it the Playground silently uses its own tenant, which no school matches.
    throw new AppError(
      'PLAYGROUND.START_FAILED',
      `No Agents Playground config at ${givenConfigPath}.`,
    );
  }
  const givenConfig = fs.readFileSync(givenConfigPath, 'utf8');
  // Checked before anything is started or written: a name not in the config fails here.
  const derivedConfig =
    options.as === undefined ? undefined : playgroundConfigAs(givenConfig, options.as);
  const currentUser = options.as ?? currentUserOf(givenConfig);
  const port = options.port === 0 ? await findFreePort() : await ensurePortFree(options.port);

  // The Playground logs everything, message contents included, to a file: keep it private and
  // temporary, and read back only its error lines. A derived config lives beside it (mode 0700,
  // removed on stop, and by the wrapper if we die).
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), LOG_DIR_PREFIX));
  const logFile = path.join(logDir, 'playground.log');
  let configPath = givenConfigPath;
  if (derivedConfig !== undefined) {
    configPath = path.join(logDir, CONFIG_FILE_NAME);
    fs.writeFileSync(configPath, derivedConfig, { mode: 0o600 });
  }
  const env: NodeJS.ProcessEnv = {};
  for (const key of INHERITED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key];
  Object.assign(env, {
    TEAMSAPPTESTER_BROWSER: 'none',
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
  });

  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  // The service URL names 127.0.0.1 because that is all the wrapper lets it bind.
  const args = [
    ['--app-endpoint', options.botEndpoint],
    ['--channel-id', 'msteams'],
    ['--port', String(port)],
    ['--service-url', `http://127.0.0.1:${port}/_connector`],
    ['--disable-telemetry'],
  ].flat();
  const child = spawn(process.execPath, ['-e', WRAPPER, cli, ...args], {
    cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const errors = new ErrorLogTail(logFile);
  let ready = false;

  // Its stdout says which port it took (it silently falls back to a random one when ours is taken).
  const listening = new Promise<number>((resolve) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Listening on (\d+)$/.exec(line.trim());
      if (match) resolve(Number(match[1]));
    });
  });
  readline.createInterface({ input: child.stderr! }).on('line', (line) => {
    log.warn(
      { event: 'playground.stderr', summary: summariseErrorLines([line]) },
      'playground says',
    );
  });
  const tail = setInterval(() => {
    const summary = errors.readNew();
    if (summary) log.warn({ event: 'playground.error', summary }, 'playground reported an error');
  }, 1_000);
  tail.unref();

  let stopRequested = false;
  const cleanUp = (): void => {
    clearInterval(tail);
    fs.rmSync(logDir, { recursive: true, force: true });
  };
  const failedStart = new Promise<never>((_resolve, reject) => {
    child.once('error', (error) =>
      reject(
        new AppError(
          'PLAYGROUND.START_FAILED',
          `Could not run the Agents Playground: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    child.once('exit', (code, signal) => {
      const summary = errors.readNew() ?? errors.lastSummary;
      cleanUp();
      if (stopRequested) return;
      if (ready) {
        log.error({ event: 'playground.exited', code, signal, summary }, 'playground exited');
        return;
      }
      reject(
        new AppError(
          'PLAYGROUND.START_FAILED',
          `The Agents Playground exited during start-up (code ${code}, signal ${signal})${summary ? `: ${summary}` : '.'}`,
        ),
      );
    });
  });
  failedStart.catch(() => undefined);

  let stopping: Promise<void> | undefined;
  const stop = (timeoutMs = 5_000): Promise<void> => {
    stopping ??= (async () => {
      stopRequested = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        await exited;
        clearTimeout(timer);
      } else {
        await exited;
      }
      cleanUp();
      log.info({ event: 'playground.stopped', pid: child.pid }, 'playground stopped');
    })();
    return stopping;
  };

  try {
    const timeoutMs = options.startTimeoutMs ?? 60_000;
    const deadline = Date.now() + timeoutMs;
    const boundPort = await withTimeout(Promise.race([listening, failedStart]), timeoutMs);
    if (boundPort !== port) throw portInUse(port);
    const url = `http://127.0.0.1:${port}`;
    await Promise.race([waitForHttp(`${url}/_debug/ping`, deadline), failedStart]);
    ready = true;
    log.info({ event: 'playground.started', port, pid: child.pid }, 'playground started');
    return { url, currentUser, stop: () => stop() };
  } catch (error) {
    await stop(1_000);
    throw error;
  }
}

/**
 * Starts several Playgrounds against one bot at once (one per person, each on its own port) and
 * resolves with them in the order given; if one fails, the others are stopped and its error is
 * thrown, so a failed start leaves nothing running.
 */
export async function startPlaygrounds(
  common: Omit<PlaygroundOptions, 'port' | 'as'>,
  instances: readonly Pick<PlaygroundOptions, 'port' | 'as'>[],
): Promise<RunningPlayground[]> {
  const started = await Promise.allSettled(
    instances.map((instance) => startPlayground({ ...common, ...instance })),
  );
  const failed = started.find((s) => s.status === 'rejected');
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<RunningPlayground>).value);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : undefined)));
  throw failed.reason;
}

function portInUse(port: number): AppError {
  return new AppError(
    'PLAYGROUND.PORT_IN_USE',
    `Port ${port} for the Agents Playground is already in use: stop what is using it or set PLAYGROUND_PORT to a free port.`,
  );
}

/** Fails fast with a clear message, rather than letting the Playground drift to a random port. */
function ensurePortFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? portInUse(port)
          : new AppError(
              'PLAYGROUND.START_FAILED',
              `Cannot use port ${port} for the Agents Playground (${error.code}); set PLAYGROUND_PORT.`,
              { cause: error },
            ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(port)));
  });
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Polls until the URL answers 200. /_debug/ping rather than /_internal/v1/config: the latter holds
 * its answer up to 15 s while it waits for the bot, and writes to the UI's log panel.
 */
async function waitForHttp(url: string, deadline: number): Promise<void> {
  for (;;) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) {
      throw new AppError(
        'PLAYGROUND.START_FAILED',
        `The Agents Playground did not answer at ${url} in time.`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            'PLAYGROUND.START_FAILED',
            `The Agents Playground did not start within ${timeoutMs} ms.`,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Reads what the Playground appended to its log file since last time, keeping only error lines. */
class ErrorLogTail {
  private offset = 0;
  /** The latest summary, so an exit can still say why after the periodic read has logged it. */
  lastSummary: string | undefined;

  constructor(private readonly file: string) {}

  /** A one-line summary of new error lines, or undefined when there are none. */
  readNew(): string | undefined {
    let text: string;
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        if (size < this.offset) this.offset = 0; // it truncates the file when it starts
        const buffer = Buffer.alloc(size - this.offset);
        fs.readSync(fd, buffer, 0, buffer.length, this.offset);
        this.offset = size;
        text = buffer.toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return undefined; // not written yet, or already removed
    }
    // Each console.error call starts a line with "error "; its stack continues on following lines.
    const lines = text.split('\n').filter((line) => line.startsWith('error '));
    if (lines.length === 0) return undefined;
    this.lastSummary = summariseErrorLines(lines);
    return this.lastSummary;
  }
}

/**
 * Keeps the gist of error lines and drops everything from the first brace: the Playground's errors
 * can carry activity payloads (JSON with message text), which must never reach our logs.
 */
function summariseErrorLines(lines: string[]): string {
  const parts = lines.map((line) =>
    line
      // eslint-disable-next-line no-control-regex
      .replace(/\u001b\[[0-9;]*m/g, '')
      .replace(/^error /, '')
      .replace(/\{.*$/s, '')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 160),
  );
  return parts.filter(Boolean).join(' / ').slice(0, 400) || 'unparsed error';
}
