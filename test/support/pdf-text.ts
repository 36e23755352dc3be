import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** The text of each page of a PDF file (pdf.js in a Node 24 child process). */
export function pdfPageTexts(file: string): string[] {
  const out = execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'node'),
    [path.join(__dirname, 'pdf-text-cli.mjs'), file],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out) as string[];
}
