import {
  BSON,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Document,
  type MongoClient,
} from 'mongodb';
import { nowMs } from './timing';

/** One command a client sent to the store, e.g. `incidents.insert`, with when it ran. */
export interface RecordedCommand {
  /** `collection.command`, e.g. `incidents.insert`. */
  readonly name: string;
  readonly collection: string;
  readonly commandName: string;
  /**
   * The filter's field names (never its values), e.g. `{reference,schoolId,tenantId}`: tells two
   * finds on one collection apart when a report asks which of them grew.
   */
  readonly shape: string;
  /** What issued it (e.g. the kind of HTTP request), or undefined for background work. */
  readonly tag: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly ok: boolean;
  /** A copy of the command document, kept only while capturing. */
  readonly command?: Document;
}

/**
 * Counts and times the commands one client sends (driver command monitoring; the client must be
 * created with `monitorCommands=true`). Records only between start() and stop(), so a benchmark can
 * look at one phase. Names hold collection and command; command documents (which hold values) are
 * kept only while capturing, in memory, for the floor's replay.
 */
export class CommandMonitor {
  private readonly inFlight = new Map<string, Omit<RecordedCommand, 'end' | 'ok'>>();
  private recording = false;
  private capturing = false;
  private commands: RecordedCommand[] = [];

  constructor(client: MongoClient, tagOf: () => string | undefined = () => undefined) {
    client.on('commandStarted', (e: CommandStartedEvent) => {
      if (!this.recording) return;
      const collection = collectionOf(e);
      this.inFlight.set(keyOf(e), {
        name: `${collection}.${e.commandName}`,
        collection,
        commandName: e.commandName,
        shape: filterShape(e.command),
        tag: tagOf(),
        start: nowMs(),
        // A deep copy through BSON keeps ObjectIds and Dates as they are.
        ...(this.capturing ? { command: BSON.deserialize(BSON.serialize(e.command)) } : {}),
      });
    });
    const finish = (e: CommandSucceededEvent | CommandFailedEvent, ok: boolean) => {
      const started = this.inFlight.get(keyOf(e));
      if (!started) return;
      this.inFlight.delete(keyOf(e));
      this.commands.push({ ...started, end: nowMs(), ok });
    };
    client.on('commandSucceeded', (e: CommandSucceededEvent) => finish(e, true));
    client.on('commandFailed', (e: CommandFailedEvent) => finish(e, false));
  }

  /** Forgets what was recorded and starts recording; `capture` also keeps command documents. */
  start(options: { capture?: boolean } = {}): void {
    this.commands = [];
    this.inFlight.clear();
    this.capturing = options.capture ?? false;
    this.recording = true;
  }

  /** Stops recording; returns what was recorded, in the order the commands finished. */
  stop(): RecordedCommand[] {
    this.recording = false;
    this.capturing = false;
    return this.commands;
  }
}

/** Counts and total time by command name, most frequent first. */
export function tallyCommands(
  commands: readonly RecordedCommand[],
): { name: string; count: number; totalMs: number; failed: number }[] {
  const byName = new Map<
    string,
    { name: string; count: number; totalMs: number; failed: number }
  >();
  for (const c of commands) {
    const entry = byName.get(c.name) ?? { name: c.name, count: 0, totalMs: 0, failed: 0 };
    entry.count++;
    entry.totalMs += c.end - c.start;
    if (!c.ok) entry.failed++;
    byName.set(c.name, entry);
  }
  return [...byName.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

function keyOf(e: { connectionId?: unknown; requestId: number }): string {
  return `${String(e.connectionId)}#${e.requestId}`;
}

function collectionOf(e: CommandStartedEvent): string {
  if (e.commandName === 'getMore') return String(e.command.collection);
  const target = e.command[e.commandName] as unknown;
  return typeof target === 'string' ? target : e.databaseName;
}

/** The URI with command monitoring switched on (an ordinary driver URI option). */
export function withCommandMonitoring(uri: string): string {
  if (/[?&]monitorCommands=/i.test(uri)) return uri;
  const [base, query] = uri.split('?', 2) as [string, string | undefined];
  const path = /^mongodb(\+srv)?:\/\/[^/]+$/.test(base) ? `${base}/` : base;
  return `${path}?${query ? `${query}&` : ''}monitorCommands=true`;
}

/** The field names of a command's filter, sorted: `{a,b.c}` (values are never kept). */
function filterShape(command: Document): string {
  const filter: unknown =
    command.filter ??
    command.query ??
    command.q ??
    (command.updates as Document[] | undefined)?.[0]?.q ??
    (command.deletes as Document[] | undefined)?.[0]?.q ??
    (command.pipeline as Document[] | undefined)?.[0]?.$match;
  if (!filter || typeof filter !== 'object') return '';
  return `{${Object.keys(filter as Document)
    .sort()
    .join(',')}}`;
}
