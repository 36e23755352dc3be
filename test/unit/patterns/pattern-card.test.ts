import type { Alert } from '../../../src/alerts';
import { renderAlertCard } from '../../../src/bot/alerts/alert-cards';
import { validateAdaptiveCard } from '../../support/adaptive-card-validator';

const TEAMS_APP_ID = '00000000-0000-0000-0000-00000000a001';

/** A pattern flag's alert as PatternAlerts queues it. */
const patternAlert: Alert = {
  alertId: 'a1',
  tenantId: 't',
  schoolId: 's',
  kind: 'pattern',
  incidentId: '3f1f4c57-0000-4000-8000-00000000c4a5',
  reference: 'EPC-2026-00042',
  recipientAadObjectId: 'aad-priya',
  reason: 'pattern-rule',
  wave: 12345,
  recordedBy: { aadObjectId: 'system:pattern-rules', displayName: 'Pattern rules' },
  categoryNames: [],
  recordedAt: new Date('2026-12-03T10:15:00Z'),
  createdAt: new Date('2026-12-03T10:15:00Z'),
  pattern: {
    flagId: '0123456789abcdef0123456789abcdef',
    ruleText: '3 concerns in 30 days',
    recordCount: 3,
  },
  status: 'pending',
  attempts: 0,
  nextAttemptAt: new Date('2026-12-03T10:15:00Z'),
};

describe('the pattern flag card', () => {
  it('when a pattern alert is drawn for Teams, then it is a valid Adaptive Card 1.5 with the rule, the count and the record, and a link to the desk', () => {
    const card = renderAlertCard(patternAlert, [], TEAMS_APP_ID);
    expect(validateAdaptiveCard(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).not.toContain('${');
    expect(json).toContain('3 concerns in 30 days');
    expect(json).toContain('EPC-2026-00042');
    expect(json).toContain('Open the desk');
    expect(json).toContain('subEntityId%22%3A%22desk');
    // Nothing to acknowledge here: the flag is reviewed on the desk.
    expect(json).not.toContain('alert.acknowledge');
  });

  it('when there is no app id (no tab to open), then the card has no button and still validates', () => {
    const card = renderAlertCard(patternAlert, []);
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('Open the desk');
  });
});
