/**
 * A file's text for the bundle, where it can be read here: plain text and CSV as they are. A PDF's
 * text is not extracted (the PDF reader the tests use, pdfjs-dist, is a development dependency
 * only), nor an image's or a Word document's: the bundle says so, and the DSL reviews the file
 * itself and supplies a redacted copy with the response.
 */
export function fileText(file: { name: string; contentType: string; bytes: Buffer }): string {
  const type = file.contentType.toLowerCase();
  if (type.startsWith('text/plain') || type.startsWith('text/csv')) {
    const text = file.bytes.toString('utf8');
    return text.length > MAX_CHARS
      ? `${text.slice(0, MAX_CHARS)}\n[… the rest of the file is not shown here]`
      : text;
  }
  const what =
    type === 'application/pdf' ? 'a PDF' : type.startsWith('image/') ? 'an image' : 'a document';
  return `This file is ${what} whose text is not read into the bundle: review the file itself and supply a redacted copy with the response.`;
}

/** A text file of this size is already a long appendix; the rest is reviewed in the file. */
const MAX_CHARS = 100_000;
