import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, type AppConfig } from '../config';
import { PupilRepository } from '../pupils';
import { SchoolRepository, type School } from '../schools';
import { AppError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';
import { StaffRepository } from '../staff';
import { syncAllIndexes } from '../store/connection';
import { openStore } from '../store/open-store';
import { createAuditModule } from '../audit';
import { createNarrativeCipher } from '../encryption';
import { createPupilStatusModule } from '../pupil-status';
import { PupilDirectory } from '../pupils';
import { systemClock } from '../shared/clock';
import { importPupils, importStaff, type ImportOutcome } from '../directory-import';
import { ChronologyIndexRepository } from '../chronology';
import { ActionJobRepository } from '../actions';
import { createTransfersModule } from '../transfers';
import { runCli } from './run-cli';

/**
 * `npm run import -- pupils|staff <file.csv> [--school <id>] [--tenant <id>]`: loads a school's
 * pupils or staff from its MIS export. Prints counts and ids only, never names. Exit codes: 0
 * imported, 1 the file has bad lines (nothing imported), 2 usage, configuration or store problem.
 */

const USAGE = [
  'Usage: npm run import -- pupils <file.csv> [--school <schoolId>] [--tenant <tenantId>]',
  '       npm run import -- staff <file.csv> [--school <schoolId>] [--tenant <tenantId>]',
  'Import pupils first: staff rows name pupils in conflict_pupil_ids.',
].join('\n');

// Far larger than any school's export; a bigger file is the wrong file.
const MAX_FILE_BYTES = 20 * 1024 * 1024;

interface ImportArgs {
  readonly kind: 'pupils' | 'staff';
  readonly file: string;
  readonly school: string | undefined;
  readonly tenant: string | undefined;
}

function parseArgs(argv: readonly string[]): ImportArgs {
  const positional: string[] = [];
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const option = /^--(school|tenant)(?:=(.*))?$/.exec(arg);
    if (option) {
      const value = option[2] ?? argv[(i += 1)];
      if (!value) throw new AppError('IMPORT.USAGE', `--${option[1]} needs a value`);
      options[option[1]!] = value;
    } else if (arg.startsWith('--')) {
      throw new AppError('IMPORT.USAGE', `unknown option ${arg}`);
    } else positional.push(arg);
  }
  const [kind, file, ...extra] = positional;
  if (kind !== 'pupils' && kind !== 'staff') {
    throw new AppError('IMPORT.USAGE', 'say what to import: pupils or staff');
  }
  if (!file || extra.length > 0) throw new AppError('IMPORT.USAGE', 'give exactly one CSV file');
  return { kind, file, school: options.school, tenant: options.tenant };
}

/** The tenant: as given, or the demo tenant in development; production must say. */
function chooseTenant(args: ImportArgs, config: AppConfig): string {
  if (args.tenant) return args.tenant;
  if (config.mode === 'development') return config.demo.tenantId;
  throw new AppError('IMPORT.USAGE', '--tenant is required in production mode');
}

/** The school: as given (it must exist), or the tenant's only school. */
async function chooseSchool(
  schools: SchoolRepository,
  tenantId: string,
  schoolId: string | undefined,
): Promise<School> {
  const all = await schools.listForTenant(tenantId);
  const ids = all.map((s) => s.schoolId).join(', ') || 'none';
  if (schoolId) {
    const school = all.find((s) => s.schoolId === schoolId);
    if (!school) {
      throw new AppError(
        'SCHOOL.NOT_CONFIGURED',
        `no school ${schoolId} for tenant ${tenantId} (schools: ${ids})`,
      );
    }
    return school;
  }
  const [only, ...others] = all;
  if (!only) {
    throw new AppError(
      'SCHOOL.NOT_CONFIGURED',
      `no school is configured for tenant ${tenantId} (in development, start the app once: it seeds the demo school)`,
    );
  }
  if (others.length > 0) {
    throw new AppError(
      'IMPORT.USAGE',
      `tenant ${tenantId} has several schools (${ids}): pass --school`,
    );
  }
  return only;
}

function report(outcome: ImportOutcome, args: ImportArgs, scope: SchoolScope): number {
  const file = path.basename(args.file);
  if (!outcome.ok) {
    const lines = outcome.errors.map((e) => `  line ${e.line}: ${e.reason}`);
    process.stderr.write(
      `${file}: nothing was imported. ${outcome.errors.length} problem(s) to fix:\n${lines.join('\n')}\n`,
    );
    return 1;
  }
  const { created, updated, unchanged } = outcome.counts;
  process.stdout.write(
    `Imported ${outcome.rows} ${args.kind} from ${file} into school ${scope.schoolId} ` +
      `(tenant ${scope.tenantId}): ${created} created, ${updated} updated, ${unchanged} unchanged` +
      (outcome.statuses ? `; statuses: ${outcome.statuses.changed} changed` : '') +
      (outcome.transfersOpened ? `; transfers opened: ${outcome.transfersOpened}.\n` : '.\n'),
  );
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  // As `npm start` does: a local .env is a development convenience.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const tenantId = chooseTenant(args, config);

  if (fs.statSync(args.file).size > MAX_FILE_BYTES) {
    throw new AppError('IMPORT.USAGE', `${path.basename(args.file)} is larger than 20 MB`);
  }
  const text = fs.readFileSync(args.file, 'utf8');

  // Warnings only, on stderr: stdout is the summary.
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn', process.stderr);
  const store = await openStore(config, logger);
  try {
    const schools = new SchoolRepository(store.connection);
    const pupils = new PupilRepository(store.connection);
    const staff = new StaffRepository(store.connection);
    await syncAllIndexes(store.connection);
    const school = await chooseSchool(schools, tenantId, args.school);
    const scope: SchoolScope = { tenantId: school.tenantId, schoolId: school.schoolId };
    // The status columns (CP plan, looked after, NHS number…) go to the sealed, audited history.
    const { audit } = createAuditModule(store.connection, systemClock);
    const { pupilStatus } = createPupilStatusModule(store.connection, {
      cipher: await createNarrativeCipher(config.encryption),
      pupils: new PupilDirectory(pupils),
      audit,
      clock: systemClock,
    });
    // Leavers (on_roll no, or a leaving date) with a safeguarding file open a transfer case.
    const chronologyIndex = new ChronologyIndexRepository(store.connection);
    const { transfers } = createTransfersModule(store.connection, {
      pupils: new PupilDirectory(pupils),
      files: {
        hasRecords: async (at, pupilId) =>
          (await chronologyIndex.pageForPupil(at, pupilId, { filter: {}, limit: 1 })).length > 0,
      },
      audit,
      clock: systemClock,
      calendar: { schoolDay: config.alerts.schoolDay, bankHolidays: config.clocks.bankHolidays },
      // The app's clock jobs chase the transfer from its due time.
      jobs: new ActionJobRepository(store.connection),
    });
    const outcome =
      args.kind === 'pupils'
        ? await importPupils(pupils, scope, text, { statuses: pupilStatus, leavers: transfers })
        : await importStaff({ pupils, staff }, scope, text);
    return report(outcome, args, scope);
  } finally {
    await store.close();
  }
}

runCli(() => main(process.argv.slice(2)), {
  label: 'Import',
  usageCode: 'IMPORT.USAGE',
  usage: USAGE,
});
