import type { Alert } from '../../../src/alerts';
import { renderAlertCard } from '../../../src/bot/alerts/alert-cards';
import { DEFAULT_RETENTION_RULES, reviewDateFor } from '../../../src/retention';
import { validateAdaptiveCard } from '../../support/adaptive-card-validator';

/** A review card as the retention clock queues it: the reference, no pupil, no category. */
function aReviewAlert(): Alert {
  const at = new Date('2042-05-14T00:00:00Z');
  return {
    tenantId: 't',
    schoolId: 's',
    alertId: '0b9f3c1e-2d4a-4b5c-8d6e-7f8a9b0c1d2e',
    kind: 'retention-review',
    incidentId: '5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d',
    reference: 'EPC-2026-00042',
    recipientAadObjectId: '00000000-0000-0000-0000-000000000e02',
    reason: 'retention-clock',
    wave: 20420514,
    recordedBy: { aadObjectId: 'retention-schedule', displayName: 'Retention schedule' },
    categoryNames: [],
    recordedAt: new Date('2026-11-23T11:02:00Z'),
    createdAt: at,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at,
    action: { actionId: 'incident:5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d', kind: 'retention' },
  };
}

describe('retention review: the rules and the card', () => {
  it('when a record is in several categories, then the latest date wins', () => {
    const rules = [
      ...DEFAULT_RETENTION_RULES,
      { recordType: 'attendance', basis: 'recorded' as const, years: 2 },
    ];
    expect(
      reviewDateFor(
        rules,
        { categoryIds: ['attendance', 'child-protection'], recordedOn: '2026-11-23' },
        '2017-05-14',
      ),
    ).toEqual({ reviewOn: '2042-05-14', rule: 'child-protection: date of birth + 25 years' });
    expect(
      reviewDateFor(rules, { categoryIds: ['attendance'], recordedOn: '2026-11-23' }, '2017-05-14'),
    ).toEqual({ reviewOn: '2028-11-23', rule: 'attendance: date recorded + 2 years' });
  });

  it('when no category has a rule, then the default dates it; without a date of birth, a birth rule counts from recording and says so', () => {
    expect(
      reviewDateFor(
        DEFAULT_RETENTION_RULES,
        { categoryIds: ['bullying'], recordedOn: '2026-11-23' },
        undefined,
      ),
    ).toEqual({
      reviewOn: '2032-11-23',
      rule: 'default: date recorded + 6 years',
    });
    expect(
      reviewDateFor(
        DEFAULT_RETENTION_RULES,
        { categoryIds: ['child-protection'], recordedOn: '2024-02-29' },
        undefined,
      ),
    ).toEqual({
      reviewOn: '2049-02-28',
      rule: 'child-protection: date of birth + 25 years (no date of birth: from the date recorded)',
    });
  });

  it('when the review card is drawn, then it is a valid Adaptive Card 1.5 with the reference, no pupil and no Add action', () => {
    const card = renderAlertCard(aReviewAlert(), []);
    const json = JSON.stringify(card);
    expect(validateAdaptiveCard(card)).toEqual([]);
    expect(json).toContain('A record is due for retention review');
    expect(json).toContain('EPC-2026-00042');
    expect(json).toContain('Retention review');
    expect(json).not.toContain('${');
    expect(json).not.toMatch(/Add action/i);
  });
});
