/** The chat commands. The manifest's command list must match these names (a test checks it). */
export const COMMANDS = [
  {
    command: 'report',
    description: 'Record a concern about a pupil: report <pupil name>',
  },
  {
    command: 'history',
    description: "Show a pupil's history: history <pupil name>",
  },
  {
    command: 'actions',
    description: 'Your open tasks (the team also sees overdue ones)',
  },
  {
    command: 'desk',
    description: 'What needs attention now (the team), or your tasks and records',
  },
  { command: 'help', description: 'What I can do' },
  {
    command: 'alerts',
    description: 'Safeguarding team: alerts not yet acknowledged or not delivered',
  },
  {
    command: 'concern',
    description:
      'Raise a concern about an adult (staff, supply, volunteer, contractor): concern about an adult',
  },
] as const;

export type CommandName = (typeof COMMANDS)[number]['command'];

/** A message parsed into a command and the rest of its text. */
export interface ParsedCommand {
  readonly command: CommandName | undefined;
  readonly argument: string;
}

/**
 * Parses what a user typed. Teams prefixes @mentions and may add the bot's name, and people type
 * "Help" or "/report": be forgiving about case, slashes and surrounding space.
 */
export function parseCommand(text: string | undefined): ParsedCommand {
  const cleaned = (text ?? '')
    .replace(/<at>[^<]*<\/at>/g, ' ')
    .trim()
    .replace(/^\/+/, '');
  const [first = '', ...rest] = cleaned.split(/\s+/);
  const word = first.toLowerCase();
  const known = COMMANDS.find((c) => c.command === word);
  return { command: known?.command, argument: known ? rest.join(' ') : cleaned };
}
