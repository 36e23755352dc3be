import fs from 'node:fs';
import { ActionRepository, CaseStatusRepository } from '../actions';
import { loadConfig, type AppConfig } from '../config';
import { createFileStore } from '../files';
import { AmendmentRepository, IncidentDraftRepository, IncidentRepository } from '../incidents';
import { PupilStatusRepository } from '../pupil-status';
import { SarRepository } from '../sar';
import { SharingRepository } from '../sharing';
import { LegalHoldRepository, RetentionRepository } from '../retention';
import { AppError } from '../shared/errors';
import { createLogger } from '../shared/logger';
import { openStore } from '../store/open-store';
import { createNarrativeCipher, LocalKeyRing, rewrapAll, type RewrapCounts } from '../encryption';
import { runCli } from './run-cli';
import { AdultConcernDraftRepository, AdultConcernRepository } from '../adult-concerns';

/**
 * `npm run keys:rotate [-- --resume]`: makes a new master key active and re-wraps every stored
 * data key with it (incidents, drafts, files). Only wrapped keys change; ciphertexts stay as they
 * are. With a key file, a new key is added to the file first (`--resume` skips that, to finish an
 * interrupted run without adding yet another key); with Key Vault, the new key version is the one
 * KEY_VAULT_KEY_ID names. Safe to run again: what is already on the active key is skipped.
 * Prints key ids and counts only. Exit codes: 0 done, 1 some keys could not be re-wrapped,
 * 2 usage, configuration or store problem.
 */

const USAGE = [
  'Usage: npm run keys:rotate              add a new key to the key file, re-wrap every data key',
  '       npm run keys:rotate -- --resume  re-wrap what is not yet on the active key (no new key)',
  'With Key Vault: create a new key version, set KEY_VAULT_KEY_ID to it, restart the app, then run.',
].join('\n');

function parseArgs(argv: readonly string[]): { resume: boolean } {
  const unknown = argv.filter((a) => a !== '--resume');
  if (unknown.length > 0) throw new AppError('ENCRYPTION.USAGE', `unknown argument ${unknown[0]}`);
  return { resume: argv.includes('--resume') };
}

/** Adds the new active key (key file) or says which Key Vault version is active. */
async function takeNewKey(config: AppConfig, resume: boolean): Promise<void> {
  const keys = config.encryption;
  if (keys.source === 'keyvault') {
    process.stdout.write(`Active key: ${keys.keyId} (from KEY_VAULT_KEY_ID).\n`);
    return;
  }
  if (resume) return;
  const { keyId, previousKeyId } = await LocalKeyRing.addActiveKey(keys.keyFile);
  process.stdout.write(
    `Added key ${keyId} to ${keys.keyFile}; it replaces ${previousKeyId} for new data. ` +
      'Restart the app so it seals with the new key.\n',
  );
}

function report(counts: readonly RewrapCounts[], activeKeyId: string): number {
  process.stdout.write(`Re-wrapped data keys with ${activeKeyId}:\n`);
  for (const c of counts) {
    const failures = Object.entries(c.failures)
      .map(([code, n]) => `${n} ${code}`)
      .join(', ');
    process.stdout.write(
      `  ${c.name}: ${c.rewrapped} re-wrapped, ${c.changedMeanwhile} changed meanwhile, ` +
        `${c.failed} failed${failures ? ` (${failures})` : ''}\n`,
    );
  }
  const failed = counts.reduce((sum, c) => sum + c.failed, 0);
  if (failed > 0) {
    process.stderr.write(
      `${failed} data key(s) could not be re-wrapped: keep the old keys, fix the cause, run again with --resume.\n`,
    );
    return 1;
  }
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const { resume } = parseArgs(argv);
  // As `npm start` does: a local .env is a development convenience.
  if (fs.existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig();
  await takeNewKey(config, resume);
  const cipher = await createNarrativeCipher(config.encryption);

  const logger = createLogger(config.logLevel === 'silent' ? 'silent' : 'warn', process.stderr);
  const store = await openStore(config, logger);
  try {
    // Every collection (or folder) holding sealed data belongs here, through its repository's
    // wrappedKeys(): a collection left out keeps data keys wrapped by a key meant to be retired.
    const holders = [
      new IncidentRepository(store.connection, cipher).wrappedKeys(),
      new IncidentDraftRepository(store.connection, cipher).wrappedKeys(),
      new AmendmentRepository(store.connection, cipher).wrappedKeys(),
      createFileStore(config.files.store, store.connection, cipher).wrappedKeys(),
      new ActionRepository(store.connection, cipher).wrappedKeys(),
      new CaseStatusRepository(store.connection, cipher).wrappedKeys(),
      new PupilStatusRepository(store.connection, cipher).wrappedKeys(),
      ...new AdultConcernRepository(store.connection, cipher).wrappedKeys(),
      new AdultConcernDraftRepository(store.connection, cipher).wrappedKeys(),
      ...new SarRepository(store.connection, cipher).wrappedKeys(),
      new SharingRepository(store.connection, cipher).wrappedKeys(),
      new RetentionRepository(store.connection, cipher).wrappedKeys(),
      ...new LegalHoldRepository(store.connection, cipher).wrappedKeys(),
    ];
    return report(await rewrapAll(holders, cipher), cipher.activeKeyId);
  } finally {
    await store.close();
  }
}

runCli(() => main(process.argv.slice(2)), {
  label: 'Key rotation',
  usageCode: 'ENCRYPTION.USAGE',
  usage: USAGE,
});
