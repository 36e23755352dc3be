import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { pdfLib } from '../shared/lazy-modules';
import type { TransferPackage } from './transfer-package.schema';

const PAGE = { width: 595, height: 842, margin: 50 };
const SIZE = { title: 16, heading: 12, body: 9.5 };
const LINE = 13;

/**
 * What the standard PDF fonts (WinAnsi) can draw: Latin-1 stays ("Zoë"), other accented letters
 * fold to their base letter ("Wiśniewski" → "Wisniewski"), typographic quotes and dashes to
 * plain ones, anything else to "?". The JSON in the archive keeps every character.
 */
export function winAnsiSafe(text: string): string {
  return [
    ...text
      .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
      .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
      .replace(/[\u2013\u2014\u2212]/g, '-')
      .replace(/\u2026/g, '...')
      .replace(/\t/g, ' '),
  ]
    .map((char) => {
      if (DRAWABLE.test(char)) return char;
      const folded = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      return [...folded].every((c) => DRAWABLE.test(c)) && folded ? folded : '?';
    })
    .join('');
}

/** Latin-1's printable range: all of it is in WinAnsi (which adds a few more we do not need). */
const DRAWABLE = /^[\n\u0020-\u007E\u00A0-\u00FF]$/;

/** Lays text out down the pages, starting a new page when one is full. */
class Writer {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: { regular: PDFFont; bold: PDFFont },
  ) {
    this.page = doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
  }

  line(text: string, options: { bold?: boolean; size?: number; indent?: number } = {}): void {
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const size = options.size ?? SIZE.body;
    const indent = options.indent ?? 0;
    const width = PAGE.width - 2 * PAGE.margin - indent;
    for (const paragraph of winAnsiSafe(text).split('\n')) {
      for (const row of wrap(paragraph, font, size, width)) {
        if (this.y < PAGE.margin + LINE) {
          this.page = this.doc.addPage([PAGE.width, PAGE.height]);
          this.y = PAGE.height - PAGE.margin;
        }
        this.page.drawText(row, { x: PAGE.margin + indent, y: this.y, size, font });
        this.y -= size > SIZE.body ? size + 6 : LINE;
      }
    }
  }

  gap(): void {
    this.y -= LINE / 2;
  }
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(' ')) {
    const next = row ? `${row} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) <= width || !row) row = next;
    else {
      rows.push(row);
      row = word;
    }
  }
  rows.push(row);
  return rows;
}

const day = (iso: string) => iso.slice(0, 10);
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/**
 * The readable summary in the archive: who the child is, the flags, other children named, then
 * each record as amended with its versions, actions (text, decisions with reasons) and files.
 */
export async function renderTransferSummary(pkg: TransferPackage): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = pdfLib();
  const doc = await PDFDocument.create();
  doc.setTitle('Child protection file transfer');
  doc.setCreator('Safeguarding records');
  const w = new Writer(doc, {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  });
  const p = pkg.pupil;
  w.line('Child protection file - CONFIDENTIAL', { bold: true, size: SIZE.title });
  w.line(`${p.legalFirstName} ${p.legalLastName}, born ${p.dateOfBirth}, ${p.yearGroup}`, {
    bold: true,
    size: SIZE.heading,
  });
  w.line(`From ${pkg.from.schoolName} to ${pkg.to.schoolName} (for ${pkg.to.recipientName}).`);
  w.line(`Exported ${when(pkg.exportedAt)}. Format ${pkg.format} ${pkg.version}.`);
  const flags = Object.entries(pkg.flags)
    .filter(([, on]) => on)
    .map(([name]) => name);
  w.line(`Flags: ${flags.length > 0 ? flags.join(', ') : 'none recorded'}.`);
  if (pkg.otherPupilsNamed.length > 0) {
    w.gap();
    w.line('Other children named in these records (for your attention):', { bold: true });
    for (const o of pkg.otherPupilsNamed) {
      w.line(`${o.displayName} - in ${o.incidentIds.length} record(s)`, { indent: 10 });
    }
  }
  for (const r of pkg.records) {
    const c = r.current;
    w.gap();
    w.line(`${r.reference} - ${day(c.happenedAt)} (${r.pupilRole}, ${r.status})`, {
      bold: true,
      size: SIZE.heading,
    });
    w.line(`Recorded ${when(r.recordedAt)} by ${r.recordedBy.displayName}.`);
    w.line(`Categories: ${c.categories.map((x) => x.name).join(', ') || '-'}`);
    w.line(`Facts: ${c.facts}`);
    if (c.childsWords) w.line(`Child's words: ${c.childsWords}`);
    if (c.adultsWords) w.line(`Adults' words: ${c.adultsWords}`);
    if (c.opinion) w.line(`Opinion: ${c.opinion}`);
    if (c.actionTaken) w.line(`Action taken: ${c.actionTaken}`);
    for (const a of r.amendments) {
      w.line(
        `Amended (v${a.version}) ${when(a.amendedAt)} by ${a.amendedBy.displayName}: ${a.reason} ` +
          `[${a.changedFields.join(', ')}] - the original is in the package.`,
        { indent: 10 },
      );
    }
    for (const a of r.actions) {
      const reason = typeof a.details.reason === 'string' ? ` Reason: ${a.details.reason}` : '';
      w.line(`${day(a.happenedAt)} ${a.kind} by ${a.author.displayName}: ${a.text}${reason}`, {
        indent: 10,
      });
    }
    for (const s of r.caseStatus) {
      w.line(
        `Case ${s.status} ${when(s.at)} by ${s.by.displayName}${s.reason ? `: ${s.reason}` : ''}`,
        {
          indent: 10,
        },
      );
    }
    for (const f of r.files) w.line(`File: ${f.name} (${f.path})`, { indent: 10 });
  }
  return doc.save();
}
