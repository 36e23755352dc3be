import fc from 'fast-check';
import {
  manualProposals,
  namesToLookFor,
  proposeRedactions,
} from '../../../src/sar/redaction-proposals';
import type { BundleSection } from '../../../src/sar/redaction.types';

const sources = {
  subject: { names: ['Oliver Smith'] },
  pupils: [
    { names: ['Amelia Jones'], linked: true },
    { names: ['Noah Taylor', 'Nat Taylor'], linked: false },
    { names: ['Olivia Smith'], linked: false },
  ],
  staff: [{ displayName: 'Priya Shah' }, { displayName: 'Tom Reilly' }],
  agencies: [{ name: 'Children’s social care (MASH)' }],
};
const names = namesToLookFor(sources);

const section = (text: string): BundleSection[] => [
  { sectionId: 's', heading: 'Record', paragraphs: [{ paragraphId: 'p1', label: 'Facts', text }] },
];
const found = (text: string) =>
  proposeRedactions(section(text), names).map((p) => [text.slice(p.start, p.end), p.kind]);

describe('proposed redactions', () => {
  it('when the text names other pupils, staff and an agency, then each is proposed, and the child is not', () => {
    const text =
      'Oliver Smith told Mrs Shah that Amelia Jones and nat taylor pushed him. Amelia cried. ' +
      'Tom Reilly called Children’s social care (MASH).';
    expect(found(text)).toEqual([
      ['Mrs Shah', 'staff'],
      ['Amelia Jones', 'linked-pupil'],
      ['nat taylor', 'pupil'],
      ['Amelia', 'linked-pupil'],
      ['Tom Reilly', 'staff'],
      ['Children’s social care (MASH)', 'agency'],
    ]);
  });

  it('when the text holds contact details, then emails, UK phone numbers and postcodes are proposed', () => {
    const text =
      'Mum (jo.bloggs@example.com, 07700 900123, +44 (0)20 7946 0958) lives at 12 High St, SW1A 1AA. ' +
      'Room 101 and 1234 are not numbers to hide.';
    expect(found(text)).toEqual([
      ['jo.bloggs@example.com', 'email'],
      ['07700 900123', 'phone'],
      ['+44 (0)20 7946 0958', 'phone'],
      ['SW1A 1AA', 'postcode'],
    ]);
  });

  it('when an adult the directory does not know is named with a title, then they are proposed', () => {
    expect(found('Dad said Mr Kowalski, the neighbour, shouted.')).toEqual([
      ['Mr Kowalski', 'adult'],
    ]);
  });

  it('when the same name appears twice, then each is its own proposal with a stable id', () => {
    const twice = proposeRedactions(section('Amelia Jones and Amelia Jones'), names);
    const again = proposeRedactions(section('Amelia Jones and Amelia Jones'), names);
    expect(twice.map((p) => p.proposalId)).toEqual(again.map((p) => p.proposalId));
    expect(new Set(twice.map((p) => p.proposalId)).size).toBe(2);
  });

  it('when any directory name is planted in any text, then it is proposed whole and proposals never overlap', () => {
    const planted = ['Amelia Jones', 'Noah Taylor', 'Olivia Smith', 'Priya Shah', 'Tom Reilly'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('the', 'said', 'and', 'at', 'break', ',', '.', 'HELP', 'me'), {
          maxLength: 12,
        }),
        fc.constantFrom(...planted),
        fc.array(fc.constantFrom('then', 'went', 'home', 'with', 'Mum', '.'), { maxLength: 12 }),
        (before, name, after) => {
          const text = [...before, name, ...after].join(' ');
          const proposals = proposeRedactions(section(text), names);
          const spans = proposals.map((p) => text.slice(p.start, p.end));
          expect(spans).toContain(name);
          const sorted = [...proposals].sort((a, b) => a.start - b.start);
          sorted.slice(1).forEach((p, i) => expect(p.start).toBeGreaterThanOrEqual(sorted[i]!.end));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when the DSL withholds words by hand, then the right occurrence is found, and words gone or already proposed are left out', () => {
    const text = 'The flat above, the flat above, and Amelia Jones.';
    const auto = proposeRedactions(section(text), names);
    const manual = manualProposals(
      section(text),
      [
        { paragraphId: 'p1', text: 'the flat above', occurrence: 1 },
        { paragraphId: 'p1', text: 'Amelia', occurrence: 1 },
        { paragraphId: 'p1', text: 'the shed', occurrence: 1 },
      ],
      auto,
    );
    expect(manual.map((p) => [text.slice(p.start, p.end), p.start, p.kind])).toEqual([
      ['the flat above', 16, 'manual'],
    ]);
  });
});
