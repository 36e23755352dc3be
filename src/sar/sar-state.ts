import { subjectAccessDueBy, type StatutoryCalendar } from '../clocks';
import type { SarChange, SarRegistration, SubjectAccessRequest } from './sar.types';

/**
 * A request as it stands: its registration with each change applied in order. The due date is
 * one calendar month from receipt (statutory-clocks.ts: month ends clamp, a weekend or bank
 * holiday moves it on), plus the extension's months once one is recorded.
 */
export function requestState(
  registration: SarRegistration,
  changes: readonly SarChange[],
  calendar: StatutoryCalendar,
): SubjectAccessRequest {
  let state: Omit<SubjectAccessRequest, 'dueAt'> = {
    ...registration,
    status: 'open',
    changes: changes.length,
  };
  for (const change of [...changes].sort((a, b) => a.sequence - b.sequence)) {
    const decidedBy = { aadObjectId: change.by.aadObjectId, displayName: change.by.displayName };
    switch (change.kind) {
      case 'extension':
        state = {
          ...state,
          status: state.status === 'open' ? 'extended' : state.status,
          extension: {
            months: change.months,
            reason: change.reason,
            requesterToldOn: change.requesterToldOn,
          },
        };
        break;
      case 'parental-responsibility':
        state = {
          ...state,
          parentalResponsibility: {
            decision: change.decision,
            reason: change.reason,
            decidedBy,
            decidedAt: change.at,
          },
        };
        break;
      case 'competence':
        state = {
          ...state,
          competence: {
            decision: change.decision,
            reason: change.reason,
            decidedBy,
            decidedAt: change.at,
          },
        };
        break;
      case 'closed':
        state = {
          ...state,
          status: change.status,
          response: { text: change.response, at: change.at, byName: change.by.displayName },
        };
        break;
    }
  }
  const dueAt = subjectAccessDueBy(registration.receivedAt, calendar, state.extension?.months ?? 0);
  return { ...state, dueAt };
}

/** True while the request still waits for an answer. */
export function isOpen(request: Pick<SubjectAccessRequest, 'status'>): boolean {
  return request.status === 'open' || request.status === 'extended';
}

/**
 * What still stops a release, in the DSL's words; empty when it may go. A parent or carer asking
 * needs both decisions: they hold parental responsibility, and the child either cannot decide for
 * themselves or has agreed. A competent child who refuses stops the release.
 */
export function releaseBlockers(request: SubjectAccessRequest): string[] {
  if (request.relationship !== 'parent' && request.relationship !== 'carer') return [];
  const blockers: string[] = [];
  const pr = request.parentalResponsibility;
  if (!pr) blockers.push('Record whether the requester holds parental responsibility, and why.');
  else if (pr.decision === 'not-held') {
    blockers.push(
      'The requester does not hold parental responsibility: the request cannot be released to them.',
    );
  }
  const competence = request.competence;
  if (!competence) blockers.push('Record whether the child is competent to decide, and why.');
  else if (competence.decision === 'competent-refuses') {
    blockers.push(
      'The child is competent and does not agree: the request cannot be released to the parent.',
    );
  }
  return blockers;
}
