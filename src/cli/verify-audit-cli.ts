import fs from 'node:fs';
import { loadConfig } from '../config';
import { AppError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import type { SchoolScope } from '../shared/school-scope';
import { openStore } from '../store/open-store';
import {
  AuditRepository,
  countUnaudited,
  verifyAuditChain,
  type AuditedChanges,
  type ChainReport,
} from '../audit';
import { throwawayCipher } from '../encryption';
import { AmendmentRepository, amendmentChanges, IncidentRepository } from '../incidents';
import { actionChanges, ActionRepository } from '../actions';
import { acknowledgementChanges, AlertRepository } from '../alerts';
import { runCli } from './run-cli';

/**
 * `npm run audit:verify [-- --tenant <id> --school <id>]`: walks each school's audit chain and
 * names the first event that was altered, removed or inserted, and counts records that have no
 * `record.create` event (a crash between the two writes), and amendments, actions and
 * acknowledgements without theirs. Prints ids, references, sequence
 * numbers and hashes only. Exit codes: 0 every chain intact and complete, 1 a chain is broken or
 * a record unaudited, 2 usage or store problem.
 */

const USAGE = 'Usage: npm run audit:verify [-- --tenant <tenantId> --school <schoolId>]';

function parseArgs(argv: readonly string[]): Partial<SchoolScope> {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const option = /^--(school|tenant)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!option) throw new AppError('AUDIT.USAGE', `unknown argument ${argv[i]}`);
    const value = option[2] ?? argv[(i += 1)];
    if (!value) throw new AppError('AUDIT.USAGE', `--${option[1]} needs a value`);
    options[option[1]!] = value;
  }
  if (Boolean(options.school) !== Boolean(options.tenant)) {
    throw new AppError('AUDIT.USAGE', 'give both --tenant and --school, or neither');
  }
  return { tenantId: options.tenant, schoolId: options.school };
}

/** Records of a school with no `record.create` event: how many, and the first few references. */
async function recordsWithoutCreateEvent(
  scope: SchoolScope,
  records: IncidentRepository,
  audit: AuditRepository,
): Promise<{ count: number; first: string[] }> {
  let count = 0;
  const first: string[] = [];
  for await (const batch of records.walkReferences(scope)) {
    const audited = await audit.targetsWith(
      scope,
      'record.create',
      batch.map((r) => r.incidentId),
    );
    for (const record of batch.filter((r) => !audited.has(r.incidentId))) {
      count += 1;
      if (first.length < 5) first.push(record.reference);
    }
  }
  return { count, first };
}

function describe(report: ChainReport): string {
  const school = `${report.tenantId}/${report.schoolId}`;
  if (!report.problem) {
    return `ok      ${school}: ${report.events} events, head ${report.headHash.slice(0, 16) || '(empty)'}`;
  }
  const { kind, sequence, detail } = report.problem;
  return `BROKEN  ${school}: event ${sequence} ${kind} (${detail})`;
}

async function main(argv: readonly string[]): Promise<number> {
  const only = parseArgs(argv);
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn', process.stderr);
  const store = await openStore(config, logger);
  try {
    const audit = new AuditRepository(store.connection);
    const schools =
      only.tenantId && only.schoolId
        ? [{ tenantId: only.tenantId, schoolId: only.schoolId }]
        : await audit.listSchools();
    let broken = 0;
    // Reads ids and references only: no narrative is opened, so no key is needed.
    const records = new IncidentRepository(store.connection, throwawayCipher());
    const changes: [string, AuditedChanges][] = [
      [
        'amendments',
        amendmentChanges(new AmendmentRepository(store.connection, throwawayCipher())),
      ],
      ['actions', actionChanges(new ActionRepository(store.connection, throwawayCipher()))],
      ['acknowledgements', acknowledgementChanges(new AlertRepository(store.connection))],
    ];
    for (const scope of schools) {
      const report = await verifyAuditChain(scope, audit.walk(scope));
      if (report.problem) broken += 1;
      process.stdout.write(`${describe(report)}\n`);
      // A whole chain can still lack an event (a crash between a record and its event).
      const unaudited = await recordsWithoutCreateEvent(scope, records, audit);
      if (unaudited.count > 0) {
        broken += 1;
        process.stdout.write(
          `MISSING ${scope.tenantId}/${scope.schoolId}: ${unaudited.count} records have no record.create event (first: ${unaudited.first.join(', ')}); start the app to append them as recovered\n`,
        );
      }
      // Likewise every amendment, action and acknowledgement (issue 18 part 2).
      for (const [what, source] of changes) {
        const missing = await countUnaudited(audit, source, scope);
        if (missing === 0) continue;
        broken += 1;
        process.stdout.write(
          `MISSING ${scope.tenantId}/${scope.schoolId}: ${missing} ${what} have no audit event; start the app (or retry them) to append them as recovered\n`,
        );
      }
    }
    if (schools.length === 0) process.stdout.write('no audit events stored yet\n');
    return broken > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

runCli(() => main(process.argv.slice(2)), {
  label: 'Audit verify',
  usageCode: 'AUDIT.USAGE',
  usage: USAGE,
});
