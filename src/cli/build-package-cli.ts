import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { buildAppPackage } from '../teams-package/build-package';

/**
 * `npm run package`: fills the manifest template from configuration and writes the Teams app
 * package to dist/app-package.zip. Exit code 1 and the configuration's problems if it cannot.
 */

// Two levels up from src/cli (ts-jest) or dist/cli (compiled): the same root.
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  // Same convenience as `npm start`: a local .env fills the placeholders.
  const envFile = path.join(PROJECT_ROOT, '.env');
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  const config = loadConfig();
  const { outFile } = await buildAppPackage(
    config,
    path.join(PROJECT_ROOT, 'dist', 'app-package.zip'),
  );
  if (!config.publicBaseUrl.startsWith('https://')) {
    process.stderr.write(
      `Note: PUBLIC_BASE_URL is ${config.publicBaseUrl}; Teams only loads the tab over https.\n`,
    );
  }
  process.stdout.write(`Teams app package written to ${outFile}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
