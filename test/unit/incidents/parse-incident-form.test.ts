import { parseIncidentForm } from '../../../src/incidents';

const now = new Date('2026-11-23T11:00:00.000Z');

function form(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pupilId: 'P1',
    happenedDate: '2026-11-23',
    happenedTime: '10:15',
    facts: 'What was seen and heard.',
    categoryIds: 'safeguarding',
    ...overrides,
  };
}

function errorsOf(values: Record<string, unknown>): Record<string, string> {
  const result = parseIncidentForm(values, now);
  if (result.ok) throw new Error('expected the form to be refused');
  return result.errors;
}

describe('reading the incident form', () => {
  it('when the form is complete, then it becomes an input with the right instant and lists', () => {
    const result = parseIncidentForm(
      form({
        categoryIds: 'safeguarding, behaviour,safeguarding',
        agencyIds: '',
        transcribedFromPaper: 'true',
      }),
      now,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.happenedAt.toISOString()).toBe('2026-11-23T10:15:00.000Z');
    expect(result.input.categoryIds).toEqual(['safeguarding', 'behaviour']);
    expect(result.input.agencyIds).toEqual([]);
    expect(result.input.transcribedFromPaper).toBe(true);
  });

  it('when required answers are missing, then each is named', () => {
    expect(Object.keys(errorsOf({})).sort()).toEqual([
      'categoryIds',
      'facts',
      'happenedDate',
      'pupilId',
    ]);
  });

  it('when the time is in the future, then it is refused; a back-dated one is allowed', () => {
    expect(errorsOf(form({ happenedTime: '11:30' })).happenedDate).toContain('future');
    expect(parseIncidentForm(form({ happenedDate: '2026-09-02' }), now).ok).toBe(true);
  });

  it('when the date cannot be read, then it says how to write it', () => {
    expect(errorsOf(form({ happenedDate: '23rd Nov' })).happenedDate).toContain('YYYY-MM-DD');
  });

  it('when facts exceed 20,000 characters, then the limit is named and the text is kept', () => {
    const long = 'x'.repeat(20_001);
    const result = parseIncidentForm(form({ facts: long }), now);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.facts).toContain('20,000');
    expect(result.values.facts).toBe(long);
  });

  it('when a location exceeds 200 characters, then it is refused', () => {
    expect(errorsOf(form({ location: 'y'.repeat(201) })).location).toContain('200');
  });

  it.each([
    ['an operator object', { $gt: '' }],
    ['an array', ['P1', 'P2']],
    ['a number', 42],
    ['null', null],
  ])('when a field holds %s instead of text, then it is refused as not text', (_label, value) => {
    expect(errorsOf(form({ pupilId: value })).pupilId).toContain('must be text');
  });

  it('when linked pupils and body map rows are half filled, then each row says what is missing', () => {
    const errors = errorsOf(
      form({
        linkedPupil1: 'P2',
        linkedRole1: '',
        linkedPupil2: 'P1',
        linkedRole2: 'witness',
        bodyRegion1: 'head',
        bodySide1: 'front',
      }),
    );
    expect(errors.linkedRole1).toContain('how this pupil is involved');
    expect(errors.linkedPupil2).toContain('the pupil the concern is about');
    expect(errors.bodyLaterality1).toContain('left, right or centre');
  });

  it('when text holds control characters, then they are dropped and newlines kept', () => {
    const result = parseIncidentForm(form({ facts: 'line one\u0000\u0007\nline two' }), now);
    expect(result.ok && result.input.facts).toBe('line one\nline two');
  });

  it('when markdown or HTML is typed, then it is kept verbatim as text (rendering makes it inert)', () => {
    const result = parseIncidentForm(form({ facts: '**bold** <script>x</script>' }), now);
    expect(result.ok && result.input.facts).toBe('**bold** <script>x</script>');
  });
});
