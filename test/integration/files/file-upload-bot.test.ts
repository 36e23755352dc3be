import { randomUUID } from 'node:crypto';
import type { Activity, ChannelAccount } from 'botbuilder';
import type { Connection } from 'mongoose';
import { createAppServices, type AppServices } from '../../../src/app-services';
import { FileUploadFlow } from '../../../src/bot/file-upload/file-upload-flow';
import { SafeguardingBot } from '../../../src/bot/safeguarding-bot';
import { seedDemo } from '../../../src/demo/seed-demo';
import { IncidentFileRepository, MongoFileStore, RecordFileService } from '../../../src/files';
import type { Incident } from '../../../src/incidents';
import type { Actor } from '../../../src/staff/staff.types';
import { syncAllIndexes } from '../../../src/store/connection';
import { cardAction, DEMO_TENANT, messageActivity, STAFF_USER } from '../../support/activities';
import { cardOf, inputsOf, invokeAnswer, textsOf } from '../../support/cards';
import { anIncidentInput } from '../../support/incident-builders';
import { RecordingTestAdapter } from '../../support/recording-test-adapter';
import { capturingLogger } from '../../support/silent-logger';
import { dropTestStore, openTestStore } from '../../support/test-store';
import { aPdf, aPng } from '../../unit/files/file-samples';
import { TeamsFileServer } from './teams-file-server';

const now = new Date('2026-11-23T11:00:00.000Z');
const MB = 1024 * 1024;
const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
/** Priya Shah, the demo school's DSL: on the staff list, but not the recorder of Sam's records. */
const DSL_USER: ChannelAccount = {
  id: '29:dsl-priya',
  name: 'Priya Shah',
  aadObjectId: '00000000-0000-0000-0000-000000000e02',
};

/** A 1:1 message with a file attached, as Teams sends it when the manifest has supportsFiles. */
function fileMessage(name: string, downloadUrl: string, from?: ChannelAccount): Partial<Activity> {
  return {
    ...messageActivity('', from ? { from } : {}),
    text: undefined,
    attachments: [
      {
        contentType: FILE_DOWNLOAD_INFO,
        contentUrl: `https://elmpark-my.sharepoint.example/personal/sam/Documents/${name}`,
        name,
        content: { downloadUrl, uniqueId: randomUUID(), fileType: name.split('.').pop() },
      },
    ],
  };
}

describe('sending a file to the bot and adding it to a record (TestAdapter, real store, real HTTP)', () => {
  const teams = new TeamsFileServer();
  let connection: Connection;
  let services: AppServices;
  let recordFiles: RecordFileService;
  let fileStore: MongoFileStore;
  let adapter: RecordingTestAdapter;
  let logLines: string[];
  let sam: Actor;
  let record: Incident;
  let pupilName: string;

  beforeAll(async () => {
    await teams.start();
    connection = await openTestStore(__filename);
    services = await createAppServices(connection, { now: () => now });
    await seedDemo(connection, DEMO_TENANT);
    // Built here rather than taken from createAppServices: local http is allowed for this server.
    fileStore = new MongoFileStore(connection, services.cipher);
    const entries = new IncidentFileRepository(connection);
    await syncAllIndexes(connection);
    recordFiles = new RecordFileService(fileStore, entries, services.incidentRepository, {
      now: () => now,
    });
    const { logger, lines } = capturingLogger();
    logLines = lines;
    const files = new FileUploadFlow(recordFiles, {
      download: { timeoutMs: 5_000, allowLocalHttp: true },
      logger,
    });
    const bot = new SafeguardingBot({
      ...services,
      files,
      alertCards: { refresh: async () => undefined },
      clock: { now: () => now },
      logger,
    });
    adapter = new RecordingTestAdapter((context) => bot.run(context));

    sam = await services.staff.resolveActor(DEMO_TENANT, STAFF_USER.aadObjectId!);
    const [pupil] = await services.pupils.searchPupils(sam, 'a', 1);
    pupilName = `${pupil!.legalFirstName} ${pupil!.legalLastName}`;
    ({ incident: record } = await services.incidents.recordIncident(
      sam,
      anIncidentInput({
        pupilId: pupil!.pupilId,
        categoryIds: ['safeguarding'],
        linkedPupils: [],
        agencyIds: [],
        alertStaffIds: [],
        bodyMap: [],
      }),
      randomUUID(),
    ));
  });
  afterAll(async () => {
    await teams.stop();
    await dropTestStore(connection);
  });

  const storedFiles = () => connection.collection('files').countDocuments();
  const storedChunks = () => connection.collection('file_chunks').countDocuments();

  it('when staff send a PDF, then they are asked which recent record it is for and a click adds it with who and when', async () => {
    const pdf = aPdf();
    const url = teams.serve('Meeting minutes.pdf', { kind: 'bytes', body: pdf });

    const [reply, ...more] = await adapter.exchange(fileMessage('Meeting minutes.pdf', url));
    expect(more).toEqual([]);
    const card = cardOf(reply);
    const texts = textsOf(card).join('\n');
    expect(texts).toContain('Which record is this file for?');
    expect(texts).toContain('Meeting minutes.pdf');
    const choices = inputsOf(card).get('incidentId')?.choices as { title: string; value: string }[];
    expect(choices).toEqual([
      { title: `${record.reference} · recorded 23 Nov 2026, 11:00`, value: record.incidentId },
    ]);
    // Reference and date only: no pupil name, no narrative in the chat.
    for (const secret of [pupilName, 'MY DAD HIT ME', 'during maths']) {
      expect(JSON.stringify(card)).not.toContain(secret);
    }
    const attach = (card.actions as { verb: string; data: { fileId: string } }[])[0]!;
    expect(attach.verb).toBe('file.attach');

    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('file.attach', { ...attach.data, incidentId: record.incidentId }),
      ),
    );
    expect(textsOf(answer.card).join('\n')).toContain(
      `Added Meeting minutes.pdf to ${record.reference}`,
    );

    const listed = await recordFiles.listFiles(sam, record.incidentId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      fileId: attach.data.fileId,
      name: 'Meeting minutes.pdf',
      contentType: 'application/pdf',
      size: pdf.length,
      uploadedBy: { aadObjectId: STAFF_USER.aadObjectId, displayName: 'Sam Taylor' },
      uploadedAt: now,
      attachedAt: now,
    });
    expect((await fileStore.getBuffer(sam, attach.data.fileId)).equals(pdf)).toBe(true);

    // A second click (Teams retry, double click) answers the same and adds nothing.
    const again = invokeAnswer(
      await adapter.exchange(
        cardAction('file.attach', { ...attach.data, incidentId: record.incidentId }),
      ),
    );
    expect(textsOf(again.card).join('\n')).toContain(`Added Meeting minutes.pdf to`);
    expect(await recordFiles.listFiles(sam, record.incidentId)).toHaveLength(1);
  });

  it('when someone else clicks the button on a pending file, then they are refused', async () => {
    const url = teams.serve('scan.png', { kind: 'bytes', body: aPng() });
    const card = cardOf((await adapter.exchange(fileMessage('scan.png', url)))[0]);
    const { fileId } = (card.actions as { data: { fileId: string } }[])[0]!.data;

    const answer = invokeAnswer(
      await adapter.exchange(
        cardAction('file.attach', { fileId, incidentId: record.incidentId }, { from: DSL_USER }),
      ),
    );
    expect(answer.text).toContain('You can only add files to records you made yourself');
    expect(
      (await recordFiles.listFiles(sam, record.incidentId)).map((f) => f.fileId),
    ).not.toContain(fileId);
  });

  it('when the button arrives without a chosen record, then it asks for one', async () => {
    const answer = invokeAnswer(
      await adapter.exchange(cardAction('file.attach', { fileId: randomUUID() })),
    );
    expect(answer.text).toContain('Choose one of your records');
  });

  it('when an executable is sent, then it is refused by its name, never downloaded, and nothing is kept', async () => {
    const [files, chunks] = [await storedFiles(), await storedChunks()];
    const url = teams.serve('setup_v2.exe', { kind: 'bytes', body: Buffer.from('MZ\0\0') });
    const [reply] = await adapter.exchange(fileMessage('setup_v2.exe', url));
    // The name is shown as typed (markdown markers escaped), with what is allowed instead.
    expect(reply?.text).toContain(
      'I can’t keep “setup\\_v2.exe”: that type of file is not allowed',
    );
    expect(reply?.text).toContain('PDF');
    expect(reply?.text).toContain('10 MB');
    expect(teams.record(url).hits).toBe(0);
    expect([await storedFiles(), await storedChunks()]).toEqual([files, chunks]);
  });

  it('when a picture is renamed .pdf, then its bytes give it away and nothing is kept', async () => {
    const files = await storedFiles();
    const url = teams.serve('letter.pdf', { kind: 'bytes', body: aPng() });
    const [reply] = await adapter.exchange(fileMessage('letter.pdf', url));
    expect(reply?.text).toContain('its contents are not what its name says');
    expect(await storedFiles()).toBe(files);
  });

  it('when the file is over 10 MB, then the download stops early, the message says the limit and nothing is kept', async () => {
    const [files, chunks] = [await storedFiles(), await storedChunks()];
    const url = teams.serve('video.pdf', { kind: 'endless', totalBytes: 100 * MB });
    const [reply] = await adapter.exchange(fileMessage('video.pdf', url));
    expect(reply?.text).toContain('larger than 10 MB');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(teams.record(url).cutOff).toBe(true);
    expect(teams.record(url).bytesSent).toBeLessThan(30 * MB);
    expect([await storedFiles(), await storedChunks()]).toEqual([files, chunks]);
  });

  it('when Teams answers 404 for the download, then the message says so and nothing is kept', async () => {
    const files = await storedFiles();
    const url = teams.serve('gone.pdf', { kind: 'status', status: 404 });
    const [reply] = await adapter.exchange(fileMessage('gone.pdf', url));
    expect(reply?.text).toContain('couldn’t fetch “gone.pdf” from Teams');
    expect(await storedFiles()).toBe(files);
  });

  it('when staff with no records in the last 14 days send a file, then they are told so and nothing is fetched', async () => {
    const files = await storedFiles();
    const url = teams.serve('minutes.pdf', { kind: 'bytes', body: aPdf() });
    const [reply] = await adapter.exchange(fileMessage('minutes.pdf', url, DSL_USER));
    expect(reply?.text).toContain('haven’t recorded any concerns in the last 14 days');
    expect(teams.record(url).hits).toBe(0);
    expect(await storedFiles()).toBe(files);
  });

  it('when a message has no file, then the bot carries on as before', async () => {
    const [reply] = await adapter.exchange(messageActivity('help'));
    expect(textsOf(cardOf(reply)).join('\n')).toContain('report');
  });

  it('when the flow is logged, then file names and pupil names do not appear', () => {
    const all = logLines.join('\n');
    expect(all).toContain('file.received');
    expect(all).toContain('file.refused');
    for (const secret of ['Meeting minutes', 'setup_v2', pupilName]) {
      expect(all).not.toContain(secret);
    }
  });
});
