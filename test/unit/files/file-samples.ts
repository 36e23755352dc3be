import JSZip from 'jszip';
import { PNG } from 'pngjs';

/** A real one-page PDF (catalog, pages, page, cross-reference table), as a scanner would save. */
export function aPdf(): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A real 4×4 PNG. */
export function aPng(): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(200);
  return PNG.sync.write(png);
}

/** The first bytes of a JPEG (JFIF) file: what the sniffer looks at. */
export function aJpeg(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.alloc(64, 1),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** An iPhone HEIC's `ftyp` box (major brand heic, compatible mif1 and heic) and some bytes. */
export function aHeic(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.alloc(100, 7)]);
}

/** A Windows executable's first bytes (MZ header, with the NULs every real one has). */
export function anExe(): Buffer {
  const exe = Buffer.alloc(256);
  exe.write('MZ', 0, 'latin1');
  exe.write('This program cannot be run in DOS mode.', 78, 'latin1');
  return exe;
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';

async function zip(entries: [string, string, 'STORE' | 'DEFLATE'][]): Promise<Buffer> {
  const archive = new JSZip();
  for (const [name, content, compression] of entries) archive.file(name, content, { compression });
  return archive.generateAsync({ type: 'nodebuffer' });
}

/** A Word document package; `withMacros` adds the VBA project a .docm carries. */
export function aDocx(withMacros = false): Promise<Buffer> {
  return zip([
    ['[Content_Types].xml', CONTENT_TYPES, 'DEFLATE'],
    ['_rels/.rels', '<Relationships/>', 'DEFLATE'],
    ['word/document.xml', '<w:document><w:body/></w:document>', 'DEFLATE'],
    ...(withMacros
      ? [['word/vbaProject.bin', 'VBA', 'DEFLATE'] as [string, string, 'DEFLATE']]
      : []),
  ]);
}

/** An Excel workbook package. */
export function anXlsx(): Promise<Buffer> {
  return zip([
    ['[Content_Types].xml', CONTENT_TYPES, 'DEFLATE'],
    ['xl/workbook.xml', '<workbook/>', 'DEFLATE'],
  ]);
}

/** An OpenDocument text: the uncompressed `mimetype` entry first, then the content. */
export function anOdt(): Promise<Buffer> {
  return zip([
    ['mimetype', 'application/vnd.oasis.opendocument.text', 'STORE'],
    ['content.xml', '<office:document-content/>', 'DEFLATE'],
    ['META-INF/manifest.xml', '<manifest:manifest/>', 'DEFLATE'],
  ]);
}

/** A plain ZIP archive of a text file. */
export function aZip(): Promise<Buffer> {
  return zip([['notes.txt', 'hello', 'DEFLATE']]);
}
