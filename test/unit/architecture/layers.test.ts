import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');
const DEPCRUISE_BIN = path.join(
  ROOT,
  'node_modules',
  'dependency-cruiser',
  'bin',
  'dependency-cruiser.mjs',
);
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/**
 * Runs dependency-cruiser with the project's own config over a small tree of files written to a
 * temporary folder (as `npm run depcruise` runs it over src/). A child process, because
 * dependency-cruiser is an ES module and jest's VM does not load those.
 */
function violationsOf(files: Record<string, string>): Promise<Violation[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ include: ['src'] }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return new Promise<Violation[]>((resolve, reject) => {
    execFile(
      process.execPath,
      [DEPCRUISE_BIN, 'src', '--config', CONFIG, '--output-type', 'json'],
      { cwd: dir, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        // A non-zero exit is how depcruise reports errors; the JSON says which.
        if (!stdout) return reject(error ?? new Error('depcruise printed nothing'));
        resolve(
          (JSON.parse(stdout) as { summary: { violations: Violation[] } }).summary.violations,
        );
      },
    );
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const rulesBroken = (violations: readonly Violation[]) =>
  violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();

describe('the layers (dependency-cruiser), as npm run check applies them', () => {
  it('when two files import each other, or a room imports upward, then the check names each', async () => {
    const violations = await violationsOf({
      // A cycle inside one feature (as action-details.ts and action.service.ts once were): named
      // once, at the first file of the cycle.
      'src/actions/action-details.ts':
        "import { b } from './action.service';\nexport const a = b;\n",
      'src/actions/action.service.ts':
        "import { a } from './action-details';\nexport const b = () => a;\n",
      // A lower room reaching up into a feature.
      'src/clocks/school-day.ts':
        "import { b } from '../actions/action.service';\nexport const c = b;\n",
      // A feature reaching up for the config, and into another feature's module.
      'src/alerts/alert.service.ts':
        "import { d } from '../config';\nimport { m } from '../incidents/incidents.module';\nexport const e = [d, m];\n",
      'src/config.ts': 'export const d = 1;\n',
      'src/incidents/incidents.module.ts': 'export const m = 1;\n',
      // Shipped code importing a test helper.
      'src/incidents/incident.service.ts':
        "import { t } from '../../test/support/builders';\nexport const f = t;\n",
      'test/support/builders.ts': 'export const t = 1;\n',
    });
    expect(rulesBroken(violations)).toEqual(
      [
        'features-not-upward: src/alerts/alert.service.ts -> src/config.ts',
        'lower-rooms-not-upward: src/clocks/school-day.ts -> src/actions/action.service.ts',
        'modules-only-from-composition: src/alerts/alert.service.ts -> src/incidents/incidents.module.ts',
        'no-circular: src/actions/action-details.ts -> src/actions/action.service.ts',
        'src-not-tests: src/incidents/incident.service.ts -> test/support/builders.ts',
      ].sort(),
    );
  }, 60_000);

  it('when a feature reads its own module, the composition root every module, and a lower room only lower rooms, then the check passes', async () => {
    const violations = await violationsOf({
      'src/incidents/incidents.module.ts':
        "import { s } from '../shared/clock';\nexport const m = s;\n",
      'src/incidents/index.ts': "export { m } from './incidents.module';\n",
      'src/shared/clock.ts': 'export const s = 1;\n',
      'src/clocks/school-day.ts': "import { s } from '../shared/clock';\nexport const c = s;\n",
      'src/app-services.ts':
        "import { m } from './incidents';\nimport { c } from './clocks/school-day';\nexport const g = [m, c];\n",
    });
    expect(rulesBroken(violations)).toEqual([]);
  }, 60_000);
});
