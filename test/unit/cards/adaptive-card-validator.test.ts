import { validateAdaptiveCard } from '../../support/adaptive-card-validator';

const card = (body: unknown[], version = '1.5') => ({ type: 'AdaptiveCard', version, body });

describe('the card validator used by the template tests', () => {
  it('when a card is well formed, then it reports nothing', () => {
    expect(validateAdaptiveCard(card([{ type: 'TextBlock', text: 'ok' }]))).toEqual([]);
  });

  it('when a card has an unknown element, then it says so', () => {
    expect(validateAdaptiveCard(card([{ type: 'Bogus' }])).join()).toContain(
      'Unknown element type',
    );
  });

  it('when two inputs share an id, then it says so', () => {
    const inputs = [
      { type: 'Input.Text', id: 'facts' },
      { type: 'Input.Text', id: 'facts' },
    ];
    expect(validateAdaptiveCard(card(inputs)).join()).toContain('Duplicate Id');
  });

  it('when a card uses Media or is too large for Teams, then it says so', () => {
    expect(validateAdaptiveCard(card([{ type: 'Media', sources: [] }])).join()).toContain('Media');
    const big = card([{ type: 'TextBlock', text: 'x'.repeat(30_000) }]);
    expect(validateAdaptiveCard(big).join()).toContain('limit 28 KB');
  });

  it('when a card declares a version above what Teams renders, then it says so', () => {
    expect(validateAdaptiveCard(card([], '1.6')).join()).toContain('1.6');
  });
});
