import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BSON, type Db } from 'mongodb';
import type { AccessActor } from '../../../src/access';
import { fromSchoolDateTime } from '../../../src/shared/school-time';
import type { MutableClock } from '../../support/mutable-clock';
import type { AppServices } from '../../../src/app-services';
import type { Actor } from '../../../src/staff';
import { anActionInput } from '../../support/action-builders';
import { aPdf } from '../../unit/files/file-samples';

/** Distinctive words in every place a record's text lives, so a match in a dump is a leak. */
export function marksFor(tag: string) {
  const salt = randomBytes(4).toString('hex');
  const mark = (what: string) => `${tag}-${what}-${salt}`;
  return {
    location: mark('LOCATION behind the quince shed'),
    facts: mark('FACTS Zephyrine said the lodger locked her in'),
    childsWords: mark('CHILDS-WORDS HE TOOK MY TABLET'),
    adultsWords: mark('ADULTS-WORDS I said tell me more'),
    opinion: mark('OPINION she dreads home time'),
    actionTaken: mark('ACTION-TAKEN walked her to the office'),
    actionRequired: mark('ACTION-REQUIRED phone MASH'),
    body: mark('BODYMAP crescent graze'),
    amendReason: mark('AMEND-REASON recorder phoned to correct'),
    amendFacts: mark('AMEND-FACTS the boiler room'),
    action: mark('ACTION-TEXT spoke with mum at the gate'),
    sarWords: mark('SAR-WORDS the flat above the bakery'),
    file: mark('FILE-MINUTES case conference'),
  };
}
export type Marks = ReturnType<typeof marksFor>;

/** A PDF of a few chunks carrying the file's mark and random bytes. */
export function minutesPdf(mark: string): Buffer {
  const filler = Array.from(
    { length: 1500 },
    () => `% ${mark} ${randomBytes(24).toString('hex')}\n`,
  );
  return Buffer.concat([aPdf(), Buffer.from(filler.join(''), 'latin1')]);
}

/**
 * A record with something in every place its text can be: the narrative and body map, the
 * submitted draft, an amendment, an action's text and a file.
 */
export async function aRecordWithEverything(
  services: AppServices,
  recorder: Actor,
  dsl: AccessActor,
  pupilId: string,
  linkedPupilId: string,
  marks: Marks,
  pdf: Buffer,
) {
  const outcome = await services.forms.submit(
    recorder,
    `draft-${marks.facts.slice(-8)}-${pupilId}`,
    {
      pupilId,
      happenedDate: '2026-11-23',
      happenedTime: '10:15',
      transcribedFromPaper: 'false',
      categoryIds: 'child-protection',
      agencyIds: '',
      alertStaffIds: '',
      linkedPupil1: linkedPupilId,
      linkedRole1: 'witness',
      location: marks.location,
      facts: marks.facts,
      childsWords: marks.childsWords,
      adultsWords: marks.adultsWords,
      leadingQuestionNote: '',
      opinion: marks.opinion,
      actionTaken: marks.actionTaken,
      actionRequired: marks.actionRequired,
      bodyRegion1: 'upper arm',
      bodySide1: 'front',
      bodyLaterality1: 'left',
      bodyDescription1: marks.body,
    },
  );
  if (outcome.kind !== 'recorded') throw new Error(`not recorded: ${JSON.stringify(outcome)}`);
  const incident = outcome.incident;
  await services.amendments.amend(dsl, incident.incidentId, {
    reason: marks.amendReason,
    changes: { facts: marks.amendFacts },
  });
  await services.actions.add(
    dsl,
    incident.incidentId,
    anActionInput(
      { kind: 'note' },
      { text: marks.action, happenedAt: new Date('2026-11-23T10:45:00Z') },
    ),
  );
  const stored = await services.recordFiles.storePending(recorder, {
    name: 'minutes.pdf',
    bytes: pdf,
  });
  await services.recordFiles.attach(recorder, stored.fileId, incident.incidentId);
  return { incident, fileId: stored.fileId };
}

/** Every document of every collection, as raw BSON bytes (strings and binaries as stored). */
export async function dumpDatabase(db: Db): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      parts.push(Buffer.from(BSON.serialize(doc)));
    }
  }
  return Buffer.concat(parts);
}

/** The bytes of every file under a folder (recursively), or none. */
export function filesUnder(dir: string, prefix = ''): Buffer {
  if (!fs.existsSync(dir)) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const name of fs.readdirSync(dir)) {
    const full = path.join(dir, name);
    const stat = fs.statSync(full);
    if (stat.isDirectory()) parts.push(filesUnder(full));
    else if (name.startsWith(prefix)) parts.push(fs.readFileSync(full));
  }
  return Buffer.concat(parts);
}

/** What to look for: each mark as written and as JSON holds it, and the file's raw bytes. */
export function needlesOf(marks: Marks, pdf: Buffer): string[] {
  const texts = Object.values(marks);
  return [
    ...texts,
    ...texts.map((t) => JSON.stringify(t).slice(1, -1)),
    pdf.subarray(60_000, 60_064).toString('latin1'),
    pdf.subarray(60_000, 60_048).toString('base64'),
  ];
}

/** A stored envelope's wrapped data key (a BSON binary read by the driver). */
export function keyOf(envelope: unknown): Buffer | undefined {
  const wrapped = (envelope as { wrappedKey?: { buffer: Uint8Array } } | undefined)?.wrappedKey;
  return wrapped ? Buffer.from(wrapped.buffer) : undefined;
}

/** The wrapped data keys of what the store holds about a record (its files' too). */
export async function wrappedKeysOf(db: Db, incidentId: string): Promise<Buffer[]> {
  const envelopes: unknown[] = [];
  for (const name of ['incidents', 'incident_amendments', 'actions', 'incident_drafts']) {
    for (const doc of await db.collection(name).find({ incidentId }).toArray()) {
      envelopes.push(doc.sealed ?? doc.sealedValues);
    }
  }
  const files = await db.collection('incident_files').find({ incidentId }).toArray();
  const fileIds = files.map((f) => String(f.fileId));
  for (const doc of await db
    .collection('files')
    .find({ fileId: { $in: fileIds } })
    .toArray()) {
    envelopes.push(doc.sealed);
  }
  return envelopes.map(keyOf).filter((k): k is Buffer => k !== undefined);
}

/** Moves the clock to a school-local date and time. */
export function setClock(clock: MutableClock, date: string, time: string) {
  const target = fromSchoolDateTime(date, time)!;
  clock.advance(target.getTime() - clock.now().getTime());
}
