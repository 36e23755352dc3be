import { isSafeguardingTeam, type StaffMember } from '../staff';

/** Who a record's alert goes to, and why each person is on the list. */
export interface AlertRecipient {
  readonly member: StaffMember;
  readonly reason: 'safeguarding-team' | 'chosen-by-recorder';
}

/**
 * The safeguarding team always, plus the staff the recorder chose; never the recorder (they get
 * receipts instead), never an inactive member, never anyone with a conflict of interest for any
 * pupil in the record, whatever their role; each person once. When a category is one the school
 * keeps to the team, colleagues the recorder chose are not alerted: the access policy would not let
 * them open the record, and the card itself would tell them its category.
 */
export function selectAlertRecipients(options: {
  team: readonly StaffMember[];
  chosen: readonly StaffMember[];
  recorderAadObjectId: string;
  pupilIds: readonly string[];
  teamOnly: boolean;
}): AlertRecipient[] {
  const seen = new Set<string>([options.recorderAadObjectId]);
  const recipients: AlertRecipient[] = [];
  const consider = (member: StaffMember, reason: AlertRecipient['reason']) => {
    if (seen.has(member.aadObjectId) || !member.active) return;
    if (member.conflictPupilIds.some((id) => options.pupilIds.includes(id))) return;
    seen.add(member.aadObjectId);
    recipients.push({ member, reason });
  };
  options.team.forEach((m) => consider(m, 'safeguarding-team'));
  options.chosen
    .filter((m) => !options.teamOnly || isSafeguardingTeam(m.roles))
    .forEach((m) => consider(m, 'chosen-by-recorder'));
  return recipients;
}
