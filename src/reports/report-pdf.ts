import type * as PdfLib from 'pdf-lib';
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { pdfLib } from '../shared/lazy-modules';
import { formatSchoolTime } from '../shared/school-time';
import type { Report, ReportTable } from './report.types';
import type { Shown } from './suppression';

// A4 landscape: a year of months plus a total fits across, in a size a governor can read.
const PAGE: [number, number] = [841.89, 595.28];
const MARGIN = 40;
const SIZE = 10;
const LINE = 14;
const LABEL_WIDTH = 190;
/** Wide enough for "Referrals" and "Concerns" in bold at 10 pt. */
const COLUMN_WIDTH = 56;
/** pdf-lib's colour, with pdf-lib loaded on first use (src/shared/lazy-modules.ts). */
const rgb: typeof PdfLib.rgb = (red, green, blue) => pdfLib().rgb(red, green, blue);

/**
 * The report as a paginated PDF: title, school, period and the view on the first page, the
 * suppression note for governors, then headline, tables and timeliness; every page has
 * "Page n of N" and who exported it when. Standard fonts only (no font files to ship).
 */
export async function reportPdf(report: Report, exportedByName: string): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = pdfLib();
  const doc = await PDFDocument.create();
  doc.setTitle(`Safeguarding report ${report.period.from} to ${report.period.to}`);
  doc.setSubject(report.schoolName);
  doc.setProducer('Safeguarding records');
  doc.setCreationDate(report.generatedAt);
  doc.setModificationDate(report.generatedAt);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const writer = new PageWriter(doc, font, bold);

  writer.text('Safeguarding report', { font: bold, size: 18 });
  writer.text(report.schoolName || 'School', { font: bold, size: 13 });
  writer.text(`Period: ${report.period.from} to ${report.period.to}`);
  writer.text(
    report.audience === 'governor'
      ? 'View: governors (aggregates only; small numbers suppressed)'
      : 'View: full counts (safeguarding team and senior leaders)',
  );
  if (report.suppressionNote) writer.paragraph(`Suppression: ${report.suppressionNote}`);
  writer.gap();
  writer.text('Headline', { font: bold, size: 12 });
  for (const h of report.headline) writer.row(h.label, [String(h.value)]);
  for (const table of report.tables) drawTable(writer, table);
  writer.gap();
  writer.ensure(LINE * (3 + report.timeliness.length));
  writer.text("Timeliness against the school's targets (minutes)", { font: bold, size: 12 });
  writer.row('', ['Target', 'Median', '90th pct.'], bold);
  for (const t of report.timeliness) {
    writer.row(t.label, [String(t.targetMinutes), dash(t.medianMinutes), dash(t.p90Minutes)]);
  }

  const pages = doc.getPages();
  const stamp = `Exported by ${exportedByName} at ${formatSchoolTime(report.generatedAt)}`;
  pages.forEach((page, i) => {
    page.drawText(winAnsi(`${stamp}   Page ${i + 1} of ${pages.length}`), {
      x: MARGIN,
      y: MARGIN / 2,
      size: 8,
      font,
      color: rgb(0.3, 0.3, 0.3),
    });
  });
  return doc.save();
}

function drawTable(writer: PageWriter, table: ReportTable): void {
  const twoWay = table.rows.some((r) => r.total !== undefined);
  const header = [...table.columns, ...(twoWay ? ['Total'] : [])];
  // A table wider than the page is split into column blocks, each repeating the row labels.
  const perBlock = Math.max(1, Math.floor((PAGE[0] - 2 * MARGIN - LABEL_WIDTH) / COLUMN_WIDTH));
  for (let first = 0; first < header.length; first += perBlock) {
    const cols = (cells: readonly string[]) => cells.slice(first, first + perBlock);
    writer.gap();
    writer.ensure(LINE * Math.min(6, table.rows.length + 3));
    writer.text(table.title + (first > 0 ? ' (continued)' : ''), { font: writer.bold, size: 12 });
    writer.row('', cols(header), writer.bold);
    for (const r of table.rows) {
      writer.row(
        r.label,
        cols([...r.cells.map(str), ...(r.total !== undefined ? [str(r.total)] : [])]),
      );
    }
    if (table.totals)
      writer.row(table.totals.label, cols(table.totals.cells.map(str)), writer.bold);
  }
}

/** Writes top to bottom, starting a new page when the next line would not fit. */
class PageWriter {
  private page: PDFPage;
  private y = 0;

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    readonly bold: PDFFont,
  ) {
    this.page = this.newPage();
  }

  text(text: string, options: { font?: PDFFont; size?: number } = {}): void {
    const size = options.size ?? SIZE;
    this.ensure(size + 6);
    this.y -= size + 4;
    this.page.drawText(winAnsi(text), {
      x: MARGIN,
      y: this.y,
      size,
      font: options.font ?? this.font,
    });
  }

  paragraph(text: string): void {
    const width = PAGE[0] - 2 * MARGIN;
    let line = '';
    for (const word of text.split(/\s+/)) {
      const next = line ? `${line} ${word}` : word;
      if (this.font.widthOfTextAtSize(winAnsi(next), SIZE) > width && line) {
        this.text(line);
        line = word;
      } else line = next;
    }
    if (line) this.text(line);
  }

  row(label: string, cells: readonly string[], font: PDFFont = this.font): void {
    this.ensure(LINE);
    this.y -= LINE;
    this.page.drawText(winAnsi(fit(label, this.font, LABEL_WIDTH - 8)), {
      x: MARGIN,
      y: this.y,
      size: SIZE,
      font: this.font,
    });
    cells.forEach((cell, i) => {
      const text = winAnsi(fit(cell, font, COLUMN_WIDTH - 4));
      const right = MARGIN + LABEL_WIDTH + (i + 1) * COLUMN_WIDTH - 4;
      this.page.drawText(text, {
        x: right - font.widthOfTextAtSize(text, SIZE),
        y: this.y,
        size: SIZE,
        font,
      });
    });
  }

  gap(): void {
    this.y -= LINE / 2;
  }

  ensure(height: number): void {
    if (this.y - height < MARGIN) this.page = this.newPage();
  }

  private newPage(): PDFPage {
    const page = this.doc.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
    return page;
  }
}

const str = (value: Shown) => String(value);
const dash = (value: number | null) => (value === null ? '-' : String(value));

function fit(text: string, font: PDFFont, width: number): string {
  let out = text;
  while (out.length > 1 && font.widthOfTextAtSize(winAnsi(out), SIZE) > width) {
    out = out.slice(0, -2) + '.';
  }
  return out;
}

/** The standard fonts speak WinAnsi: anything else becomes "?" rather than failing the export. */
function winAnsi(text: string): string {
  return text
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201C\u201D]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7E\xA0-\xFF]/g, '?');
}
