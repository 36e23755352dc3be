import fs from 'node:fs';
import path from 'node:path';
import { playgroundConfigAs } from '../../../src/dev/playground-config';
import { DEMO_STAFF } from '../../../src/demo/demo-staff';
import { AppError } from '../../../src/shared/errors';

// `npm start` runs a second Agents Playground as the DSL on a config derived at start-up from the
// root .m365agentsplayground.yml (one file to edit). These tests hold the derivation to what the
// Playground needs, and to the hand-written DSL config the end-to-end tests use.
const ROOT = path.join(__dirname, '..', '..', '..');
const root = fs.readFileSync(path.join(ROOT, '.m365agentsplayground.yml'), 'utf8');
const DSL = DEMO_STAFF.find((m) => m.roles.includes('dsl'))!.displayName;

/** The lines that mean something: no comments, no blank lines. */
function meaningful(yaml: string): string[] {
  return yaml.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

describe('the DSL’s Playground config, derived from the root one', () => {
  it('when derived for the demo school’s DSL, then it says what the end-to-end DSL config says', () => {
    expect(DSL).toBe('Priya Shah');
    const e2e = fs.readFileSync(
      path.join(ROOT, 'test/e2e/playground-dsl.m365agentsplayground.yml'),
      'utf8',
    );
    expect(meaningful(playgroundConfigAs(root, DSL))).toEqual(meaningful(e2e));
  });

  it('when derived, then the people only swap places: the same five users, the same tenant, bot and chats', () => {
    const derived = playgroundConfigAs(root, DSL);
    const ids = (yaml: string) => [...yaml.matchAll(/aadObjectId: (\S+)/g)].map((m) => m[1]).sort();
    expect(ids(derived)).toEqual(ids(root));
    expect(ids(derived)).toHaveLength(6);
    expect(derived).toMatch(
      /^currentUser:\n {2}id: '29:elm-park-priya-shah'\n {2}name: Priya Shah$/m,
    );
    expect(derived).toContain("personalChat:\n  id: 'a:elm-park-personal-priya-shah'");
    const keep = (yaml: string) =>
      meaningful(yaml).filter((l) => /^(version|tenantId|bot|groupChat|team):/.test(l));
    expect(keep(derived)).toEqual(keep(root));
    expect(derived).toContain('Generated at start-up');
    // Deriving back gives Sam's Playground again (modulo comments).
    expect(meaningful(playgroundConfigAs(derived, 'Sam Taylor'))).toEqual(meaningful(root));
  });

  it('when the name is not among the users, then it is refused before anything starts', () => {
    expect(() => playgroundConfigAs(root, 'Nobody Here')).toThrow(AppError);
    expect(() => playgroundConfigAs(root, 'Nobody Here')).toThrow(/`Nobody Here` is not among/);
  });

  it('when the file has a shape it does not understand, then it says which line', () => {
    const odd = root.replace('  name: Sam Taylor', '  name:\n    Sam Taylor');
    expect(() => playgroundConfigAs(odd, DSL)).toThrow(/line of `currentUser` is not understood/);
  });
});
