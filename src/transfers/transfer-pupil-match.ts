import type { Pupil } from '../pupils';
import type { TransferPackage } from './transfer-package.schema';

/** Which of the sent pupil's details a pupil on our roll shares. */
type MatchedOn = 'upn' | 'name' | 'date-of-birth';

/** A pupil on our roll the package may belong to, for the DSL to confirm (never chosen for them). */
export interface PupilProposal {
  readonly pupil: Pupil;
  readonly matchedOn: readonly MatchedOn[];
}

const MOST_PROPOSALS = 5;

/** Lower case, accents and punctuation dropped: "Zoë O'Neil" and "zoe oneil" are the same name. */
function folded(name: string | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

function sameName(sent: TransferPackage['pupil'], ours: Pupil): boolean {
  const last = [folded(sent.legalLastName), folded(sent.preferredLastName)].filter(Boolean);
  const first = [folded(sent.legalFirstName), folded(sent.preferredFirstName)].filter(Boolean);
  const ourLast = [folded(ours.legalLastName), folded(ours.preferredLastName)].filter(Boolean);
  const ourFirst = [folded(ours.legalFirstName), folded(ours.preferredFirstName)].filter(Boolean);
  return last.some((n) => ourLast.includes(n)) && first.some((n) => ourFirst.includes(n));
}

/**
 * Pupils on our roll the sent pupil may be: the same UPN (the strongest: it follows a child
 * between schools in England), or the same name and date of birth, or two of the three. A name
 * alone or a birthday alone is not proposed: too many children share one. Strongest first.
 */
export function proposePupils(
  sent: TransferPackage['pupil'],
  roll: readonly Pupil[],
): PupilProposal[] {
  const upn = sent.upn?.trim().toUpperCase();
  const proposals: PupilProposal[] = [];
  for (const pupil of roll) {
    const matchedOn: MatchedOn[] = [];
    if (upn && pupil.upn?.trim().toUpperCase() === upn) matchedOn.push('upn');
    if (sameName(sent, pupil)) matchedOn.push('name');
    if (pupil.dateOfBirth === sent.dateOfBirth) matchedOn.push('date-of-birth');
    if (matchedOn.includes('upn') || matchedOn.length >= 2) proposals.push({ pupil, matchedOn });
  }
  const weight = (p: PupilProposal) =>
    (p.matchedOn.includes('upn') ? 10 : 0) + p.matchedOn.length + (p.pupil.onRoll ? 0.5 : 0);
  return proposals.sort((a, b) => weight(b) - weight(a)).slice(0, MOST_PROPOSALS);
}
