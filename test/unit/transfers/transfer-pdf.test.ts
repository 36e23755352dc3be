import { winAnsiSafe } from '../../../src/transfers';

describe('text for the standard PDF fonts (WinAnsi)', () => {
  it('when a name or quote has characters WinAnsi cannot draw, then they fold to ones it can', () => {
    expect(winAnsiSafe('Wiśniewski said “no” – twice…')).toBe('Wisniewski said "no" - twice...');
    expect(winAnsiSafe('Zoë Renée Siobhán')).toBe('Zoë Renée Siobhán');
    expect(winAnsiSafe('家 🙂 ok')).toBe('? ? ok');
  });
});
