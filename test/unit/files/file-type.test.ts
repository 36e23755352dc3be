import { AppError } from '../../../src/shared/errors';
import {
  allowedTypeForName,
  checkFile,
  describeAllowedTypes,
  MAX_FILE_BYTES,
  sniffFileKind,
} from '../../../src/files';
import { aDocx, aHeic, aJpeg, anExe, anOdt, anXlsx, aPdf, aPng, aZip } from './file-samples';

function codeOf(work: () => unknown): string | undefined {
  try {
    work();
    return undefined;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

const HTML = Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>');
const SVG = Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>');

describe('checking a file by its name and its bytes', () => {
  it('when a real small PDF is named .pdf, then it is accepted and stored as application/pdf', () => {
    const checked = checkFile('Meeting minutes.pdf', aPdf());
    expect(checked.name).toBe('Meeting minutes.pdf');
    expect(checked.type.contentType).toBe('application/pdf');
  });

  it('when a real PNG is named .png, then it is accepted as image/png', () => {
    expect(checkFile('scan.PNG', aPng()).type.contentType).toBe('image/png');
  });

  it('when a PNG is renamed .pdf, then it is refused as not what its name says', () => {
    expect(codeOf(() => checkFile('letter.pdf', aPng()))).toBe('FILE.TYPE_MISMATCH');
  });

  it('when an executable is named .exe, then it is refused by its extension', () => {
    expect(codeOf(() => checkFile('setup.exe', anExe()))).toBe('FILE.TYPE_NOT_ALLOWED');
  });

  it('when an executable is renamed .pdf or .txt, then its bytes give it away', () => {
    expect(codeOf(() => checkFile('letter.pdf', anExe()))).toBe('FILE.TYPE_MISMATCH');
    expect(codeOf(() => checkFile('notes.txt', anExe()))).toBe('FILE.TYPE_MISMATCH');
  });

  it('when HTML or SVG is sent, under its own name or as .txt, then it is refused', () => {
    expect(codeOf(() => checkFile('page.html', HTML))).toBe('FILE.TYPE_NOT_ALLOWED');
    expect(codeOf(() => checkFile('page.htm', HTML))).toBe('FILE.TYPE_NOT_ALLOWED');
    expect(codeOf(() => checkFile('logo.svg', SVG))).toBe('FILE.TYPE_NOT_ALLOWED');
    expect(codeOf(() => checkFile('page.txt', HTML))).toBe('FILE.TYPE_MISMATCH');
    expect(codeOf(() => checkFile('logo.png', SVG))).toBe('FILE.TYPE_MISMATCH');
  });

  it('when a script, an archive or a legacy .doc is sent, then it is refused by its extension', () => {
    for (const name of ['run.js', 'run.ps1', 'run.bat', 'notes.zip', 'old.doc', 'old.rtf']) {
      expect(codeOf(() => allowedTypeForName(name))).toBe('FILE.TYPE_NOT_ALLOWED');
    }
  });

  it('when a file has two extensions, then the last one counts', () => {
    expect(codeOf(() => checkFile('minutes.pdf.exe', anExe()))).toBe('FILE.TYPE_NOT_ALLOWED');
  });

  it('when Word, Excel and OpenDocument files are sent, then each is recognised by its parts', async () => {
    expect(checkFile('letter.docx', await aDocx()).type.kind).toBe('docx');
    expect(checkFile('register.xlsx', await anXlsx()).type.kind).toBe('xlsx');
    expect(checkFile('minutes.odt', await anOdt()).type.kind).toBe('odt');
  });

  it('when a ZIP archive or a workbook is renamed .docx, then it is refused', async () => {
    const archive = await aZip();
    expect(codeOf(() => checkFile('letter.docx', archive))).toBe('FILE.TYPE_MISMATCH');
    const workbook = await anXlsx();
    expect(codeOf(() => checkFile('letter.docx', workbook))).toBe('FILE.TYPE_MISMATCH');
  });

  it('when a Word document carries macros, then it is refused as active content', async () => {
    const docm = await aDocx(true);
    expect(codeOf(() => checkFile('letter.docx', docm))).toBe('FILE.ACTIVE_CONTENT');
  });

  it('when photos arrive as JPEG or iPhone HEIC, then they are accepted', () => {
    expect(checkFile('photo.jpg', aJpeg()).type.contentType).toBe('image/jpeg');
    expect(checkFile('photo.jpeg', aJpeg()).type.kind).toBe('jpeg');
    expect(checkFile('IMG_0001.HEIC', aHeic()).type.contentType).toBe('image/heic');
  });

  it('when text is UTF-8, Windows-1252 or UTF-16 with a BOM, then it is plain text', () => {
    expect(sniffFileKind(Buffer.from('Costs £12 for the trip\r\n', 'utf8'))).toBe('txt');
    expect(sniffFileKind(Buffer.from([0x43, 0x6f, 0x73, 0x74, 0x20, 0xa3, 0x31, 0x32]))).toBe(
      'txt',
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Notes\n', 'utf16le')]);
    expect(sniffFileKind(utf16)).toBe('txt');
  });

  it('when "text" holds NUL bytes or starts like a script, then it is not plain text', () => {
    expect(sniffFileKind(Buffer.from('abc\0def'))).toBeUndefined();
    expect(sniffFileKind(Buffer.from('#!/bin/sh\nrm -rf /\n'))).toBeUndefined();
  });

  it('when a file is empty or over 10 MB, then it is refused whatever it is', () => {
    expect(codeOf(() => checkFile('empty.pdf', Buffer.alloc(0)))).toBe('FILE.EMPTY');
    const big = Buffer.concat([aPdf(), Buffer.alloc(MAX_FILE_BYTES)]);
    expect(codeOf(() => checkFile('big.pdf', big))).toBe('FILE.TOO_LARGE');
  });

  it('when staff are told what is allowed, then the message names the types and the size', () => {
    const text = describeAllowedTypes();
    for (const word of ['PDF', 'Word (.docx)', 'JPEG', 'PNG', 'HEIC', '10 MB']) {
      expect(text).toContain(word);
    }
  });
});
