import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

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

/** One top-level entry of the Playground's YAML config: its key and its lines as written. */
interface ConfigSection {
  readonly key: string | undefined;
  readonly lines: string[];
}

/** A person in the config, as `key: value` pairs with each value exactly as written. */
type ConfigPerson = (readonly [key: string, raw: string])[];

/**
 * The Playground config (the YAML of .m365agentsplayground.yml) with `name` as its current user:
 * that person and the current user swap places (so `users` still has the same five people), and
 * the personal chat gets an id of its own. Everything else (tenant, bot, chats, team) is kept as
 * written, so both instances are the same school. Only the shape our file has is understood
 * (two-space indents, one `key: value` per line); anything else is refused, naming what is wrong.
 */
export function playgroundConfigAs(yaml: string, name: string): string {
  const sections = splitSections(yaml);
  const section = (key: string): ConfigSection => {
    const found = sections.find((s) => s.key === key);
    if (!found) throw configProblem(`it has no top-level \`${key}:\``);
    return found;
  };
  const current = peopleOf(section('currentUser'), '  ');
  const users = peopleOf(section('users'), '  - ');
  const [me] = current;
  if (current.length !== 1 || !me) throw configProblem('`currentUser` is not one person');
  const index = users.findIndex((u) => valueOf(u, 'name') === name);
  const chosen = users[index];
  if (!chosen) throw configProblem(`\`${name}\` is not among its \`users\``);
  const swapped = users.map((u, i) => (i === index ? me : u));
  const chat = section('personalChat');
  const chatId = chat.lines.findIndex((line) => /^ {2}id: /.test(line));
  if (chatId < 0) throw configProblem('`personalChat` has no `id`');
  const oldChatId = unquote(chat.lines[chatId]!.replace(/^ {2}id: /, ''));
  const oldSlug = slugOf(valueOf(me, 'name'));
  const newChatId = oldChatId.endsWith(oldSlug)
    ? `${oldChatId.slice(0, -oldSlug.length)}${slugOf(name)}`
    : `${oldChatId}-${slugOf(name)}`;

  const out: string[] = [
    `# Generated at start-up by src/dev/playground.ts from .m365agentsplayground.yml: the same`,
    `# school, with ${name} as the current user. Edit that file, not this one.`,
  ];
  for (const s of sections) {
    // The leading comments describe the first person; the header above replaces them.
    if (s.key === undefined) continue;
    if (s.key === 'currentUser') out.push('currentUser:', ...personLines(chosen, '  ', '  '));
    else if (s.key === 'users')
      out.push('users:', ...swapped.flatMap((u) => personLines(u, '  - ', '    ')));
    else if (s.key === 'personalChat')
      out.push(...s.lines.map((line, i) => (i === chatId ? `  id: '${newChatId}'` : line)));
    else out.push(...s.lines);
  }
  return out.join('\n');
}

/** The display name of the config's current user. */
function currentUserOf(yaml: string): string {
  const section = splitSections(yaml).find((s) => s.key === 'currentUser');
  const [me] = section ? peopleOf(section, '  ') : [];
  if (!me) throw configProblem('it has no `currentUser`');
  return valueOf(me, 'name');
}

function splitSections(yaml: string): ConfigSection[] {
  const sections: ConfigSection[] = [{ key: undefined, lines: [] }];
  for (const line of yaml.split('\n')) {
    const key = /^([A-Za-z][\w-]*):/.exec(line)?.[1];
    if (key !== undefined) sections.push({ key, lines: [line] });
    else sections.at(-1)!.lines.push(line);
  }
  return sections;
}

/** The people of a section: each starts at `first` (the item marker) and goes on at its indent. */
function peopleOf(section: ConfigSection, first: string): ConfigPerson[] {
  const rest = ' '.repeat(first.length);
  const people: ConfigPerson[] = [];
  for (const line of section.lines.slice(1)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const starts = line.startsWith(first) && (first.trim() !== '' || people.length === 0);
    const body = starts
      ? line.slice(first.length)
      : line.startsWith(rest)
        ? line.slice(rest.length)
        : undefined;
    const pair = body === undefined ? undefined : /^([A-Za-z]\w*): (.+)$/.exec(body);
    if (!pair) throw configProblem(`this line of \`${section.key}\` is not understood: ${line}`);
    if (starts) people.push([]);
    people.at(-1)!.push([pair[1]!, pair[2]!]);
  }
  return people;
}

function personLines(person: ConfigPerson, first: string, rest: string): string[] {
  return person.map(([key, raw], i) => `${i === 0 ? first : rest}${key}: ${raw}`);
}

function valueOf(person: ConfigPerson, key: string): string {
  const raw = person.find(([k]) => k === key)?.[1];
  if (raw === undefined) throw configProblem(`a person has no \`${key}\``);
  return unquote(raw);
}

function unquote(raw: string): string {
  const match = /^'(.*)'$|^"(.*)"$/.exec(raw.trim());
  return match ? (match[1] ?? match[2] ?? '') : raw.trim();
}

function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function configProblem(what: string): AppError {
  return new AppError(
    'PLAYGROUND.START_FAILED',
    `Cannot make a second Agents Playground config from ${CONFIG_FILE_NAME}: ${what}.`,
  );
}
