import { AppError } from '../shared/errors';

// How the DSL's Playground config is derived from the teacher's .m365agentsplayground.yml, apart
// from the launcher: a reader for the small YAML shape that file has (no YAML library among our
// dependencies), which refuses anything else with the line it did not understand.

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
export function currentUserOf(yaml: string): string {
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
    `Cannot make a second Agents Playground config from .m365agentsplayground.yml: ${what}.`,
  );
}
