import { inertText } from '../../../src/bot/inert-text';

describe('text shown in cards', () => {
  it('when a name holds inline markdown, then its markers are escaped', () => {
    expect(inertText('**Bold** [link](https://x.example) _em_ `code`')).toBe(
      '\\*\\*Bold\\*\\* \\[link\\](https://x.example) \\_em\\_ \\`code\\`',
    );
  });

  it('when a line starts with a block marker, then it cannot become a heading or a list', () => {
    expect(inertText('# Heading\n- item\n1. first')).toBe('\\# Heading\n\\- item\n1\\. first');
  });

  it('when text holds HTML, then no tag survives', () => {
    const shown = inertText('<img src=x onerror=alert(1)>');
    expect(shown).not.toMatch(/[<>]/);
  });

  it('when text is ordinary, then it reads as typed', () => {
    expect(inertText('Peer-on-peer abuse, Year 4 (4E). Priya Shah')).toBe(
      'Peer-on-peer abuse, Year 4 (4E). Priya Shah',
    );
  });
});
