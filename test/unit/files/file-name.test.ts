import { extensionOf, sanitiseFileName } from '../../../src/files';

describe('sanitising a file name', () => {
  it('when a name carries a path, then only its last segment is kept', () => {
    expect(sanitiseFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
    expect(sanitiseFileName('C:\\Users\\sam\\Desktop\\letter.pdf')).toBe('letter.pdf');
  });

  it('when a name holds control characters or line breaks, then they are removed', () => {
    expect(sanitiseFileName('min\u0000ut\u0007es\r\n.pdf')).toBe('minutes.pdf');
  });

  it('when a name uses a right-to-left override to hide .exe, then the trick is undone', () => {
    const name = sanitiseFileName('invoice\u202Efdp.exe');
    expect(name).toBe('invoicefdp.exe');
    expect(extensionOf(name)).toBe('exe');
  });

  it('when a name holds characters Windows refuses, then they become underscores', () => {
    expect(sanitiseFileName('a<b>:c"d|e?f*.pdf')).toBe('a_b__c_d_e_f_.pdf');
  });

  it('when a name starts with dots or ends with dots and spaces, then they are trimmed', () => {
    expect(sanitiseFileName('..hidden.txt')).toBe('hidden.txt');
    expect(sanitiseFileName('  notes   from\tmeeting.pdf . ')).toBe('notes from meeting.pdf');
  });

  it('when nothing usable is left, then the name is "file"', () => {
    expect(sanitiseFileName('')).toBe('file');
    expect(sanitiseFileName('..')).toBe('file');
    expect(sanitiseFileName('/')).toBe('file');
  });

  it('when a name is longer than 200 characters, then it is cut to 200 keeping the extension', () => {
    const name = sanitiseFileName(`${'a'.repeat(300)}.pdf`);
    expect(Array.from(name)).toHaveLength(200);
    expect(name.endsWith('a.pdf')).toBe(true);
  });

  it('when the cut falls inside an emoji, then no half character is left', () => {
    const name = sanitiseFileName(`${'😀'.repeat(250)}.pdf`);
    expect(Array.from(name)).toHaveLength(200);
    expect(name).toBe(`${'😀'.repeat(196)}.pdf`);
  });

  it('when a name is fine, then it is kept as it is (accents included)', () => {
    expect(sanitiseFileName('Réunion équipe – 23 Nov.docx')).toBe('Réunion équipe – 23 Nov.docx');
  });

  it('when asked for an extension, then it is the lower-cased part after the last dot', () => {
    expect(extensionOf('Scan.JPEG')).toBe('jpeg');
    expect(extensionOf('README')).toBe('');
    expect(extensionOf('archive.tar.gz')).toBe('gz');
  });
});
