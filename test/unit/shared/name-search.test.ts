import {
  clampLimit,
  foldName,
  nameSearchWords,
  querySearchWords,
  wordPrefixPattern,
} from '../../../src/shared/name-search';

describe('name search folding', () => {
  it('when names have accents, case or letters NFKD keeps, then they fold to plain lower case', () => {
    expect(foldName('Zoë BRONTË')).toBe('zoe bronte');
    expect(foldName('Siobhán Łukasz Søren Straße Æsa')).toBe('siobhan lukasz soren strasse aesa');
  });

  it('when a name has hyphens or apostrophes, then each part and the joined form are searchable', () => {
    expect(nameSearchWords('Mary-Jane', "O'Brien", 'D’Souza')).toEqual([
      'mary',
      'jane',
      'obrien',
      'o',
      'brien',
      'dsouza',
      'd',
      'souza',
    ]);
  });

  it('when preferred and legal names repeat words, then each word is stored once', () => {
    expect(nameSearchWords('Jim', 'Smith', 'James', 'Smith')).toEqual(['jim', 'smith', 'james']);
    expect(nameSearchWords(undefined, '', 'Ada')).toEqual(['ada']);
  });

  it('when a query is typed, then it folds like names, joins apostrophes and is bounded', () => {
    expect(querySearchWords("  ZOË  o'bri ")).toEqual(['zoe', 'obri']);
    expect(querySearchWords('a b c d e f g h')).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(querySearchWords('x'.repeat(100))[0]).toHaveLength(40);
    expect(querySearchWords(' , - ')).toEqual([]);
  });

  it('when a query holds regex metacharacters, then they are kept as typed and escaped in the pattern', () => {
    expect(querySearchWords('jam.* (x')).toEqual(['jam.*', '(x']);
    const pattern = wordPrefixPattern('a.*(b)[c]|d\\e^$?+{2}/');
    expect(pattern).toBe('(?:^| )a\\.\\*\\(b\\)\\[c\\]\\|d\\\\e\\^\\$\\?\\+\\{2\\}\\/');
    const literal = new RegExp(pattern);
    expect(literal.test('x a.*(b)[c]|d\\e^$?+{2}/')).toBe(true);
    expect(literal.test('x abbb')).toBe(false);
  });

  it('when a limit is out of range, then it is clamped into 1..max', () => {
    expect(clampLimit(0, 50)).toBe(1);
    expect(clampLimit(1e9, 50)).toBe(50);
    expect(clampLimit(Number.NaN, 50)).toBe(15);
    expect(clampLimit(7.9, 50)).toBe(7);
  });
});
