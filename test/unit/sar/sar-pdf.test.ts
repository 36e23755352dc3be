import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderSarPdf } from '../../../src/sar/sar-pdf';
import { pdfPageTexts } from '../../support/pdf-text';

describe('the response PDF', () => {
  it('when redactions are accepted, then their words are nowhere in the PDF and the schedule lists them', async () => {
    const facts =
      'At break Amelia Jones pushed Oliver. Oliver said "SHE ALWAYS DOES IT". Mrs Shah phoned 07700 900123.\n' +
      'A very long passage naming Amelia Jones again to wrap across lines so the layout is exercised '.repeat(
        4,
      );
    const withheld = [...facts.matchAll(/Amelia Jones|07700 900123/g)].map((m, i) => ({
      paragraphId: 'p1',
      start: m.index,
      end: m.index + m[0].length,
      number: i + 1,
    }));
    const pdf = await renderSarPdf({
      title: 'Subject access response: Oliver Smith',
      reference: 'SAR-2026-11-10-abcd',
      preamble: ['Prepared by Priya Shah for Zoë Wiśniewski 漢.'],
      sections: [
        {
          sectionId: 's',
          heading: 'Record R-1',
          paragraphs: [{ paragraphId: 'p1', label: 'Facts', text: facts }],
        },
      ],
      redactions: withheld,
      schedule: withheld.map((r) => ({
        number: r.number,
        where: 'Record R-1, Facts',
        what: 'another pupil’s name',
        exemption: 'Third-party personal data',
      })),
    });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sar-pdf-')), 'response.pdf');
    fs.writeFileSync(file, pdf);
    const text = pdfPageTexts(file).join('\n');
    expect(text).not.toContain('Amelia');
    expect(text).not.toContain('Jones');
    expect(text).not.toContain('07700');
    expect(text).not.toContain('900123');
    // Nor in the file's uncompressed parts (title, metadata).
    expect(Buffer.from(pdf).toString('latin1')).not.toContain('Amelia');
    expect(text).toMatch(/SHE ALWAYS\s*DOES IT/);
    // Outside the standard fonts' letters: the accent goes, or a "?" stands in; the PDF is made.
    expect(text).toContain('Zoë Wisniewski ?.');
    expect(text).toContain('Schedule of exemptions applied');
    expect(text).toContain('Third-party personal data');
  });
});
