import { execFile } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const ESLINT_BIN = path.join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');

/**
 * Lints code as if it were the given file, with the project's own config. ESLint runs as a child
 * process because it loads its flat config with a dynamic import, which jest's VM does not allow.
 */
function ruleMessages(filePath: string, code: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [ESLINT_BIN, '--format', 'json', '--stdin', '--stdin-filename', filePath],
      { cwd: ROOT },
      (error, stdout) => {
        // Exit code 1 means "problems found", which is what these tests look for.
        if (error && error.code !== 1) return reject(error);
        const [result] = JSON.parse(stdout) as {
          messages: { ruleId: string; message: string }[];
        }[];
        resolve(
          (result?.messages ?? [])
            .filter((m) => m.ruleId === 'no-restricted-imports')
            .map((m) => m.message),
        );
      },
    );
    child.stdin?.end(code);
  });
}

describe('the dependency rule (eslint), as the build applies it', () => {
  it('when a feature service imports botbuilder, restify or mongoose, then lint fails', async () => {
    const code = [
      "import { TurnContext } from 'botbuilder';",
      "import restify from 'restify';",
      "import mongoose from 'mongoose';",
      'export const x = [TurnContext, restify, mongoose];',
    ].join('\n');
    const messages = await ruleMessages('src/incidents/incident.service.ts', code);
    expect(messages).toHaveLength(3);
  });

  it('when a feature imports the bot or tab layer, then lint fails', async () => {
    const code = [
      "import { renderCard } from '../bot/render-card';",
      "import { tabRoutes } from '../tab/routes';",
      'export const x = [renderCard, tabRoutes];',
    ].join('\n');
    expect(await ruleMessages('src/incidents/incident.service.ts', code)).toHaveLength(2);
  });

  it('when a feature repository imports mongoose, then lint allows it, but not botbuilder', async () => {
    const code = [
      "import mongoose from 'mongoose';",
      "import { TurnContext } from 'botbuilder';",
      'export const x = [mongoose, TurnContext];',
    ].join('\n');
    const messages = await ruleMessages('src/incidents/incident.repository.ts', code);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Teams');
  });

  it('when the bot layer imports botbuilder, then lint allows it', async () => {
    const code = "import { TurnContext } from 'botbuilder';\nexport const x = TurnContext;";
    expect(await ruleMessages('src/bot/safeguarding-bot.ts', code)).toEqual([]);
  });
});
