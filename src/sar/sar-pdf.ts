import type * as PdfLib from 'pdf-lib';
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { pdfLib } from '../shared/lazy-modules';
import type { BundleSection } from './redaction.types';

/**
 * The SAR response as a PDF with its redactions burned in: a withheld span is never written into
 * the file (no text under a box, no hidden layer, nothing in metadata); a black box is drawn where
 * it would have been, numbered against the schedule of exemptions at the end.
 */

/** One accepted redaction: where, and its number in the schedule. */
interface BurnedRedaction {
  readonly paragraphId: string;
  readonly start: number;
  readonly end: number;
  readonly number: number;
}

/** One line of the schedule of exemptions (no withheld words: where and why only). */
export interface ScheduleLine {
  readonly number: number;
  readonly where: string;
  readonly what: string;
  readonly exemption: string;
}

export interface SarPdfInput {
  readonly title: string;
  readonly reference: string;
  readonly preamble: readonly string[];
  readonly sections: readonly BundleSection[];
  readonly redactions: readonly BurnedRedaction[];
  readonly schedule: readonly ScheduleLine[];
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };
const SIZE = 10;
const LEADING = 14;
/** pdf-lib's colour, with pdf-lib loaded on first use (src/shared/lazy-modules.ts). */
const rgb: typeof PdfLib.rgb = (red, green, blue) => pdfLib().rgb(red, green, blue);

/** Renders the response; the same input gives the same text (dates come from the input). */
export async function renderSarPdf(input: SarPdfInput): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = pdfLib();
  const doc = await PDFDocument.create();
  doc.setTitle(`Subject access response ${input.reference}`);
  doc.setProducer('safeguarding-records');
  doc.setCreator('safeguarding-records');
  const fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const writer = new PageWriter(doc, fonts);
  writer.heading(input.title, 16);
  for (const line of input.preamble) writer.paragraph(line, []);
  const byParagraph = new Map<string, BurnedRedaction[]>();
  for (const r of input.redactions) {
    byParagraph.set(r.paragraphId, [...(byParagraph.get(r.paragraphId) ?? []), r]);
  }
  for (const section of input.sections) {
    writer.gap();
    writer.heading(section.heading, 12);
    for (const p of section.paragraphs) {
      writer.label(p.label);
      writer.paragraph(p.text, byParagraph.get(p.paragraphId) ?? []);
    }
  }
  writer.newPage();
  writer.heading('Schedule of exemptions applied', 14);
  if (input.schedule.length === 0) writer.paragraph('No information has been withheld.', []);
  for (const line of input.schedule) {
    writer.paragraph(`[${line.number}] ${line.where}: ${line.what}. ${line.exemption}.`, []);
  }
  writer.footers(input.reference);
  return doc.save();
}

interface Token {
  readonly text: string;
  readonly redaction?: number;
  /** Whether whitespace separated it from the token before. */
  readonly gapBefore: boolean;
}

/** Lays text out top to bottom across pages. */
class PageWriter {
  private page: PDFPage;
  private y = 0;
  private readonly lineWidth = PAGE.width - 2 * PAGE.margin;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: { regular: PDFFont; bold: PDFFont },
  ) {
    this.page = this.addPage();
  }

  heading(text: string, size: number): void {
    this.ensure(size + LEADING);
    this.page.drawText(winAnsi(text), {
      x: PAGE.margin,
      y: this.y - size,
      size,
      font: this.fonts.bold,
    });
    this.y -= size + 8;
  }

  label(text: string): void {
    this.ensure(LEADING);
    this.page.drawText(winAnsi(text), {
      x: PAGE.margin,
      y: this.y - SIZE,
      size: SIZE - 1,
      font: this.fonts.bold,
      color: rgb(0.3, 0.3, 0.3),
    });
    this.y -= LEADING;
  }

  gap(): void {
    this.y -= LEADING / 2;
  }

  newPage(): void {
    this.page = this.addPage();
  }

  /** The text with its redactions as boxes; the withheld characters are measured, never drawn. */
  paragraph(text: string, redactions: readonly BurnedRedaction[]): void {
    // Offsets are the original text's: tokens are cut first, then made printable one by one.
    const tokens = tokensOf(text, redactions).map((t) => ({ ...t, text: winAnsi(t.text) }));
    for (const line of this.layout(tokens)) {
      this.ensure(LEADING);
      let x = PAGE.margin;
      // Words between boxes go out as one run with their spaces, so the PDF's text reads (and
      // copies) as written; a box is drawn on its own and its words are never written.
      for (const run of runsOf(line)) {
        if (run.gapBefore && x > PAGE.margin) x += this.space();
        const width = this.fonts.regular.widthOfTextAtSize(run.text, SIZE);
        if (run.redaction === undefined) {
          this.page.drawText(run.text, {
            x,
            y: this.y - SIZE,
            size: SIZE,
            font: this.fonts.regular,
          });
          x += width;
        } else {
          this.box(x, Math.max(width, 12), run.redaction);
          x += Math.max(width, 12);
        }
      }
      this.y -= LEADING;
    }
    this.y -= 4;
  }

  footers(reference: string): void {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      page.drawText(winAnsi(`${reference}  ·  page ${i + 1} of ${pages.length}`), {
        x: PAGE.margin,
        y: PAGE.margin / 2,
        size: 8,
        font: this.fonts.regular,
        color: rgb(0.4, 0.4, 0.4),
      });
    });
  }

  private box(x: number, width: number, number: number): void {
    this.page.drawRectangle({
      x,
      y: this.y - SIZE - 2,
      width,
      height: SIZE + 3,
      color: rgb(0, 0, 0),
    });
    const label = String(number);
    const size = 6;
    if (this.fonts.regular.widthOfTextAtSize(label, size) + 2 < width) {
      this.page.drawText(label, {
        x: x + 1,
        y: this.y - SIZE + 1,
        size,
        font: this.fonts.regular,
        color: rgb(1, 1, 1),
      });
    }
  }

  private layout(tokens: readonly Token[]): Token[][] {
    const lines: Token[][] = [[]];
    let x = 0;
    for (const token of tokens) {
      if (token.text === '\n') {
        lines.push([]);
        x = 0;
        continue;
      }
      const width = this.fonts.regular.widthOfTextAtSize(token.text, SIZE);
      const gap = token.gapBefore && x > 0 ? this.space() : 0;
      if (x > 0 && x + gap + width > this.lineWidth) {
        lines.push([]);
        x = 0;
      }
      lines.at(-1)!.push(token);
      x += (x > 0 ? gap : 0) + width;
    }
    return lines;
  }

  private space(): number {
    return this.fonts.regular.widthOfTextAtSize(' ', SIZE);
  }

  private ensure(height: number): void {
    if (this.y - height < PAGE.margin) this.page = this.addPage();
  }

  private addPage(): PDFPage {
    const page = this.doc.addPage([PAGE.width, PAGE.height]);
    this.y = PAGE.height - PAGE.margin;
    return page;
  }
}

/**
 * Words and withheld spans in reading order. A withheld span is one token (split at its spaces
 * only when it is too long for a line), so the box covers the whole span, spaces included.
 */
function tokensOf(text: string, redactions: readonly BurnedRedaction[]): Token[] {
  const tokens: Token[] = [];
  const sorted = [...redactions].sort((a, b) => a.start - b.start);
  let at = 0;
  let gap = false;
  const words = (plain: string) => {
    for (const part of plain.split(/(\s+)/)) {
      if (part === '') continue;
      if (/^\s+$/.test(part)) {
        for (let i = 0; i < (part.match(/\n/g)?.length ?? 0); i += 1) {
          tokens.push({ text: '\n', gapBefore: false });
        }
        gap = true;
        continue;
      }
      tokens.push({ text: part, gapBefore: gap });
      gap = false;
    }
  };
  for (const r of sorted) {
    if (r.start < at) continue;
    words(text.slice(at, r.start));
    const withheld = text.slice(r.start, r.end).replace(/\s+/g, ' ');
    for (const [i, piece] of splitLong(withheld).entries()) {
      tokens.push({ text: piece, redaction: r.number, gapBefore: i > 0 || gap });
    }
    gap = false;
    at = r.end;
  }
  words(text.slice(at));
  return tokens;
}

/** A line's tokens with neighbouring words joined (spaces kept); each withheld token on its own. */
function runsOf(line: readonly Token[]): Token[] {
  const runs: Token[] = [];
  for (const token of line) {
    const last = runs.at(-1);
    if (last && last.redaction === undefined && token.redaction === undefined) {
      runs[runs.length - 1] = {
        ...last,
        text: `${last.text}${token.gapBefore ? ' ' : ''}${token.text}`,
      };
    } else {
      runs.push(token);
    }
  }
  return runs;
}

/** A withheld span longer than about half a line is boxed word by word so it can wrap. */
function splitLong(text: string): string[] {
  return text.length > 40 ? text.split(' ').filter((w) => w !== '') : [text];
}

/**
 * The standard fonts speak WinAnsi: a letter outside it loses its accent ("Wiśniewski" prints as
 * "Wisniewski"), and anything else becomes "?" rather than failing the PDF.
 */
function winAnsi(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(/[^\n\x20-\x7e\xa0-\xff‘’“”–—…€•]/g, (c) => {
      const plain = c.normalize('NFKD').replace(/\p{M}/gu, '');
      return /^[\x20-\x7e]+$/.test(plain) ? plain : '?';
    });
}
