import type { Action } from '../actions';
import type { BundleParagraph, BundleSection } from './redaction.types';

/**
 * Everything held about the child, as sections of plain text: the pupil's status, the
 * chronology, then each record as it stands (amendments applied) with its amendments, actions
 * and files. Pure: the bundle service reads, this arranges, so a test can check the shape.
 */

/** One record as the record view reads it (narrative as amended). */
export interface BundleRecord {
  readonly incident: {
    readonly incidentId: string;
    readonly reference: string;
    readonly happenedAt: Date;
    readonly recordedAt: Date;
    readonly recordedByName: string;
    readonly pupil: { readonly pupilId: string; readonly displayName: string };
    readonly linkedPupils: readonly { pupilId: string; displayName: string; role: string }[];
    readonly categoryNames: readonly string[];
    readonly agencyNames: readonly string[];
    readonly location: string;
    readonly facts: string;
    readonly childsWords: string;
    readonly adultsWords: string;
    readonly leadingQuestionNote: string;
    readonly opinion: string;
    readonly actionTaken: string;
    readonly actionRequired: string;
    readonly bodyMap: readonly { region: string; side?: string; description?: string }[];
    readonly status: 'open' | 'closed';
  };
  readonly amendments: readonly {
    version: number;
    amendedByName: string;
    amendedAt: Date;
    reason: string;
    changedFields: readonly string[];
  }[];
  readonly actions: readonly Action[];
  /** Files with their text where it could be read, or a note saying why not. */
  readonly files: readonly {
    fileId: string;
    fileName: string;
    uploadedAt: Date;
    uploadedByName: string;
    text: string;
  }[];
}

/** One entry of the sharing log as the bundle tells it. */
export interface SharingLine {
  readonly entryId: string;
  readonly kind: 'disclosure' | 'not-shared';
  readonly what: string;
  readonly recipient: string;
  readonly at: Date;
  readonly why: string;
  readonly decidedBy: { readonly displayName: string };
}

export interface BundleInput {
  readonly statusLines: readonly string[];
  readonly chronology: readonly {
    entryId: string;
    happenedAt: Date;
    reference: string;
    title: string;
    recordedByName: string;
    categoryNames: readonly string[];
  }[];
  readonly records: readonly BundleRecord[];
  /** The information-sharing log about the child: what went to whom, and what did not. */
  readonly sharing: readonly SharingLine[];
  /** Dates as the school reads them ("10 Nov 2026, 14:05"). */
  readonly formatTime: (at: Date) => string;
}

const NARRATIVE: readonly [keyof BundleRecord['incident'], string][] = [
  ['location', 'Where'],
  ['facts', 'What was seen and heard'],
  ['childsWords', 'The child’s words'],
  ['adultsWords', 'Adults’ words'],
  ['leadingQuestionNote', 'Note on a leading question'],
  ['opinion', 'Opinion'],
  ['actionTaken', 'Action taken'],
  ['actionRequired', 'Action required'],
];

export function assembleBundle(input: BundleInput): BundleSection[] {
  const at = input.formatTime;
  const sections: BundleSection[] = [
    {
      sectionId: 'status',
      heading: 'Pupil status',
      paragraphs: [
        {
          paragraphId: 'status:now',
          label: 'Status held by the school',
          text: input.statusLines.length > 0 ? input.statusLines.join('\n') : 'None recorded.',
        },
      ],
    },
    {
      sectionId: 'chronology',
      heading: 'Chronology',
      paragraphs: input.chronology.map((e) => ({
        paragraphId: `chronology:${e.entryId}`,
        label: `${at(e.happenedAt)} · ${e.reference}`,
        text: [e.title, e.categoryNames.join(', '), `Recorded by ${e.recordedByName}`]
          .filter((t) => t !== '')
          .join(' · '),
      })),
    },
  ];
  for (const record of input.records) sections.push(recordSection(record, at));
  if (input.sharing.length > 0) {
    sections.push({
      sectionId: 'sharing',
      heading: 'Information shared with others',
      paragraphs: [...input.sharing]
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .map((e) => ({
          paragraphId: `sharing:${e.entryId}`,
          label: `${at(e.at)} · ${e.kind === 'disclosure' ? 'Shared' : 'Decided not to share'}`,
          text: `${e.kind === 'disclosure' ? 'With' : 'Asked by or considered for'}: ${e.recipient}\nWhat: ${e.what}\nWhy: ${e.why}\nDecided by ${e.decidedBy.displayName}.`,
        })),
    });
  }
  return sections;
}

function recordSection(record: BundleRecord, at: (d: Date) => string): BundleSection {
  const r = record.incident;
  const id = r.incidentId;
  const paragraphs: BundleParagraph[] = [
    {
      paragraphId: `incident:${id}:header`,
      label: 'Record',
      text: [
        `Happened ${at(r.happenedAt)}; recorded ${at(r.recordedAt)} by ${r.recordedByName}.`,
        `About ${r.pupil.displayName}.`,
        ...r.linkedPupils.map((p) => `Also involved (${p.role}): ${p.displayName}.`),
        r.categoryNames.length > 0 ? `Categories: ${r.categoryNames.join(', ')}.` : '',
        r.agencyNames.length > 0 ? `Agencies: ${r.agencyNames.join(', ')}.` : '',
        `Case ${r.status}.`,
      ]
        .filter((t) => t !== '')
        .join('\n'),
    },
  ];
  for (const [field, label] of NARRATIVE) {
    const text = r[field];
    if (typeof text === 'string' && text.trim() !== '') {
      paragraphs.push({ paragraphId: `incident:${id}:${field}`, label, text });
    }
  }
  if (r.bodyMap.length > 0) {
    paragraphs.push({
      paragraphId: `incident:${id}:bodyMap`,
      label: 'Body map',
      text: r.bodyMap
        .map((m) => [m.region, m.side, m.description].filter((t) => t).join(', '))
        .join('\n'),
    });
  }
  for (const a of record.amendments) {
    paragraphs.push({
      paragraphId: `amendment:${id}:${a.version}`,
      label: `Amendment ${a.version}, ${at(a.amendedAt)} by ${a.amendedByName}`,
      text: `Changed: ${a.changedFields.join(', ')}. Reason: ${a.reason}`,
    });
  }
  for (const action of [...record.actions].sort((a, b) => a.sequence - b.sequence)) {
    paragraphs.push({
      paragraphId: `action:${action.actionId}`,
      label: `${actionLabel(action)}, ${at(action.happenedAt)} by ${action.author.displayName}`,
      text: [action.text, actionDetail(action)].filter((t) => t.trim() !== '').join('\n'),
    });
  }
  for (const file of record.files) {
    paragraphs.push({
      paragraphId: `file:${file.fileId}`,
      label: `File "${file.fileName}", uploaded ${at(file.uploadedAt)} by ${file.uploadedByName}`,
      text: file.text,
    });
  }
  return {
    sectionId: `incident:${id}`,
    heading: `Record ${r.reference} (${at(r.happenedAt)})`,
    paragraphs,
  };
}

function actionLabel(action: Action): string {
  const kind = action.details.kind;
  return kind.charAt(0).toUpperCase() + kind.slice(1).replace('-', ' ');
}

/** What only some kinds carry, in words: a decision's reason, a referral's agency. */
function actionDetail(action: Action): string {
  const d = action.details;
  switch (d.kind) {
    case 'decision':
      return `Decision: ${d.outcome}. Reason: ${d.reason}`;
    case 'referral':
      return `Referred to ${d.agencyName}${d.agencyReference ? ` (reference ${d.agencyReference})` : ''}.`;
    case 'conversation':
    case 'phone-call':
      return `With: ${d.with}.`;
    case 'task':
      return `Assigned to ${d.assignee.displayName}, due ${d.dueDate}.`;
    case 'meeting':
      return d.minutes ? `Minutes: ${d.minutes.name}.` : '';
    default:
      return '';
  }
}
