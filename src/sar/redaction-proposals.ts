import { createHash } from 'node:crypto';
import type {
  BundleSection,
  KnownName,
  ManualRedaction,
  ProposalKind,
  RedactionProposal,
} from './redaction.types';

/**
 * Proposals, not decisions: the app finds what looks like someone else's data in the bundle (names
 * the directory knows, adults named with a title, contact details) and the DSL decides each. Pure,
 * so a property test can plant names in any text and check every one is found.
 */

/** The people and agencies a bundle might name, as the directory knows them. */
export interface NameSources {
  readonly subject: { readonly names: readonly string[] };
  readonly pupils: readonly { readonly names: readonly string[]; readonly linked: boolean }[];
  readonly staff: readonly { readonly displayName: string }[];
  readonly agencies: readonly { readonly name: string }[];
}

const TITLES = ['Mr', 'Mrs', 'Ms', 'Miss', 'Mx', 'Dr'];
const MIN_NAME_LENGTH = 3;

/**
 * What to look for: each other pupil's full names (legal and preferred), a linked pupil's first
 * name too (records often say "Catherine" once they have named her), each member of staff's
 * name and "Title Surname", and each agency. The child's own names are never proposed.
 */
export function namesToLookFor(sources: NameSources): KnownName[] {
  const own = new Set(sources.subject.names.map(fold));
  const names: KnownName[] = [];
  const add = (text: string, kind: ProposalKind) => {
    const trimmed = text.trim();
    if (trimmed.length >= MIN_NAME_LENGTH && !own.has(fold(trimmed)))
      names.push({ text: trimmed, kind });
  };
  for (const pupil of sources.pupils) {
    for (const name of pupil.names) {
      add(name, pupil.linked ? 'linked-pupil' : 'pupil');
      const first = name.split(/\s+/)[0] ?? '';
      if (pupil.linked && !ownFirstNames(sources).has(fold(first))) add(first, 'linked-pupil');
    }
  }
  for (const member of sources.staff) {
    add(member.displayName, 'staff');
    const surname = member.displayName.trim().split(/\s+/).at(-1) ?? '';
    for (const title of TITLES) add(`${title} ${surname}`, 'staff');
  }
  for (const agency of sources.agencies) add(agency.name, 'agency');
  // Longest first: "Priya Shah" is proposed whole before "Priya" could be.
  return names.sort((a, b) => b.text.length - a.text.length);
}

/** Every proposal in the bundle, paragraph by paragraph; proposals never overlap. */
export function proposeRedactions(
  sections: readonly BundleSection[],
  names: readonly KnownName[],
): RedactionProposal[] {
  const patterns = names.map((n) => ({ pattern: wordPattern(n.text), kind: n.kind }));
  const proposals: RedactionProposal[] = [];
  for (const section of sections) {
    for (const paragraph of section.paragraphs) {
      const spans: Span[] = [];
      for (const { pattern, kind } of patterns)
        spans.push(...matches(paragraph.text, pattern, kind));
      spans.push(...matches(paragraph.text, TITLED_ADULT, 'adult'));
      spans.push(...matches(paragraph.text, EMAIL, 'email'));
      spans.push(...phoneSpans(paragraph.text));
      spans.push(...matches(paragraph.text, POSTCODE, 'postcode'));
      const seen = new Map<string, number>();
      for (const span of withoutOverlaps(spans)) {
        const words = fold(paragraph.text.slice(span.start, span.end));
        const occurrence = (seen.get(words) ?? 0) + 1;
        seen.set(words, occurrence);
        proposals.push({
          proposalId: idOf(paragraph.paragraphId, words, occurrence),
          paragraphId: paragraph.paragraphId,
          start: span.start,
          end: span.end,
          kind: span.kind,
        });
      }
    }
  }
  return proposals;
}

/** The id of a redaction the DSL added by hand (distinct from any proposal's). */
export function manualProposalId(m: ManualRedaction): string {
  return idOf(`manual|${m.paragraphId}`, fold(m.text), m.occurrence);
}

/**
 * The DSL's own redactions as proposals of kind "manual", where their words still are; one that
 * overlaps a proposal of the app's, or whose words are gone (the record was amended), is left out.
 */
export function manualProposals(
  sections: readonly BundleSection[],
  added: readonly ManualRedaction[],
  taken: readonly RedactionProposal[],
): RedactionProposal[] {
  const texts = new Map(sections.flatMap((s) => s.paragraphs.map((p) => [p.paragraphId, p.text])));
  const found: RedactionProposal[] = [];
  for (const m of added) {
    const text = texts.get(m.paragraphId);
    if (text === undefined || m.text === '') continue;
    let start = -1;
    for (let n = 0; n < m.occurrence; n += 1) {
      start = text.indexOf(m.text, start + 1);
      if (start < 0) break;
    }
    if (start < 0) continue;
    const end = start + m.text.length;
    const overlaps = [...taken, ...found].some(
      (p) => p.paragraphId === m.paragraphId && p.start < end && start < p.end,
    );
    if (!overlaps) {
      found.push({
        proposalId: manualProposalId(m),
        paragraphId: m.paragraphId,
        start,
        end,
        kind: 'manual',
      });
    }
  }
  return found;
}

interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: ProposalKind;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
/** UK postcodes as written in capitals ("SW1A 1AA", "M1 1AE", "B338TH"). */
const POSTCODE = /(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![A-Za-z0-9])/g;
/** An adult named with a title ("Mrs O'Neill", "Dr Amir Khan"), whoever they are. */
const TITLED_ADULT = new RegExp(
  `(?<![\\p{L}])(?:${TITLES.join('|')})\\.?\\s+\\p{Lu}[\\p{L}'’-]+(?:\\s+\\p{Lu}[\\p{L}'’-]+)?`,
  'gu',
);
/** Candidates for UK phone numbers; phoneSpans keeps those with the right number of digits. */
const PHONE_CANDIDATE = /(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)[\d\s()-]{8,16}\d(?!\d)/g;

function phoneSpans(text: string): Span[] {
  return matches(text, PHONE_CANDIDATE, 'phone').filter((span) => {
    let digits = text.slice(span.start, span.end).replace(/\D/g, '');
    if (digits.startsWith('44')) digits = `0${digits.slice(2).replace(/^0/, '')}`;
    return digits.startsWith('0') && (digits.length === 10 || digits.length === 11);
  });
}

function matches(text: string, pattern: RegExp, kind: ProposalKind): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(pattern)) {
    spans.push({ start: match.index, end: match.index + match[0].trimEnd().length, kind });
  }
  return spans;
}

/** Earliest first, the longer of two starting together; a span overlapping a kept one is dropped. */
function withoutOverlaps(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Span[] = [];
  for (const span of sorted) {
    const last = kept.at(-1);
    if (!last || span.start >= last.end) kept.push(span);
  }
  return kept;
}

/** A name as a whole-word, case-insensitive pattern that tolerates any run of spaces inside it. */
function wordPattern(name: string): RegExp {
  const escaped = name
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
}

function ownFirstNames(sources: NameSources): Set<string> {
  return new Set(sources.subject.names.map((n) => fold(n.split(/\s+/)[0] ?? '')));
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

function idOf(paragraphId: string, words: string, occurrence: number): string {
  const digest = createHash('sha256').update(`${paragraphId}\n${words}\n${occurrence}`);
  return digest.digest('hex').slice(0, 20);
}
