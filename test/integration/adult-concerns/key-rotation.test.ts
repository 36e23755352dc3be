import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { AdultConcernDraftRepository, AdultConcernRepository } from '../../../src/adult-concerns';
import { createAppServices } from '../../../src/app-services';
import { seedDemo } from '../../../src/demo/seed-demo';
import { createNarrativeCipher, LocalKeyRing, rewrapAll } from '../../../src/encryption';
import { DEMO_TENANT } from '../../support/activities';
import { aConcernForm, adultActor, ADULTS } from '../../support/adult-concern-builders';
import { dropTestStore, openTestStore } from '../../support/test-store';

const now = new Date('2026-11-23T11:00:00.000Z');

describe('concerns about adults under key rotation', () => {
  let connection: Connection;
  let keyDir: string;

  beforeAll(async () => {
    connection = await openTestStore(__filename);
    keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adult-keys-'));
  });
  afterAll(async () => {
    await dropTestStore(connection);
    fs.rmSync(keyDir, { recursive: true, force: true });
  });

  it('when the key rotates, then every sealed part of a concern (details, steps, learning, drafts) is re-wrapped and still opens', async () => {
    const keyFile = path.join(keyDir, 'keys.json');
    const first = await createNarrativeCipher({ source: 'file', keyFile });
    const services = await createAppServices(connection, { now: () => now }, { cipher: first });
    await seedDemo(connection, DEMO_TENANT);
    const sam = await adultActor(services, ADULTS.sam, false);
    const outcome = await services.adultConcernForms.submit(sam, randomUUID(), aConcernForm());
    if (outcome.kind !== 'recorded') throw new Error('not recorded');
    const { concernId } = outcome.concern;
    await services.adultConcernForms.saveDraft(sam, randomUUID(), aConcernForm());
    const head = await adultActor(services, ADULTS.head);
    const step = { kind: 'note', date: '2026-11-23', time: '10:30', note: 'Spoke to HR.' };
    await services.adultConcernCases.addStep(head, concernId, step);
    await services.adultConcernCases.recordOutcome(head, concernId, {
      outcome: 'unfounded',
      date: '2026-11-23',
      learning: 'Keep the door open.',
    });

    await LocalKeyRing.addActiveKey(keyFile);
    const second = await createNarrativeCipher({ source: 'file', keyFile });
    const holders = [
      ...new AdultConcernRepository(connection, second).wrappedKeys(),
      new AdultConcernDraftRepository(connection, second).wrappedKeys(),
    ];
    const counts = await rewrapAll(holders, second);
    expect(counts.map((c) => [c.name, c.rewrapped])).toEqual([
      ['adult_concerns', 1],
      ['adult_concerns.learning', 1],
      ['adult_concern_steps', 1],
      ['adult_concern_drafts', 2],
    ]);

    const rotated = await createAppServices(connection, { now: () => now }, { cipher: second });
    const concern = await rotated.adultConcerns.view(head, concernId);
    expect(concern.details.adultName).toBe('Tom Reilly');
    expect(concern.steps.map((s) => s.note)).toEqual(['Spoke to HR.']);
    expect(concern.outcome?.learning).toBe('Keep the door open.');
  });
});
