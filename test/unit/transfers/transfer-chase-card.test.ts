import type { Alert } from '../../../src/alerts';
import { renderAlertCard } from '../../../src/bot/alerts/alert-cards';
import { validateAdaptiveCard } from '../../support/adaptive-card-validator';
import { textsOf } from '../../support/cards';

const chase: Alert = {
  tenantId: 't',
  schoolId: 's',
  alertId: '0b9f3c1e-2d4a-4b5c-8d6e-7f8a9b0c1d2e',
  kind: 'transfer-chase',
  incidentId: 'tr-0123456789abcdef0123456789abcdef',
  reference: 'File transfer to Riverside Academy',
  recipientAadObjectId: '00000000-0000-0000-0000-000000000e02',
  reason: 'transfer-clock',
  wave: 1001,
  recordedBy: { aadObjectId: 'system:directory-import', displayName: 'Directory import' },
  categoryNames: [],
  recordedAt: new Date('2026-05-20T09:00:00Z'),
  createdAt: new Date('2026-05-28T09:00:00Z'),
  action: {
    actionId: 'tr-0123456789abcdef0123456789abcdef',
    kind: 'transfer',
    dueAt: new Date('2026-05-28T09:00:00Z'),
  },
  status: 'pending',
  attempts: 0,
  nextAttemptAt: new Date('2026-05-28T09:00:00Z'),
};

describe('the chase prompt of a transfer not yet received', () => {
  it('when the team is chased, then the card is valid Adaptive Card 1.5, says what to do, names no pupil and offers no record action', () => {
    const card = renderAlertCard(chase, []);
    expect(validateAdaptiveCard(card)).toEqual([]);
    const texts = textsOf(card).join(' | ');
    expect(texts).toContain('Chase the child protection file transfer');
    expect(texts).toContain('File transfer to Riverside Academy');
    expect(texts).toContain('Child protection file transfer');
    expect(JSON.stringify(card)).not.toContain('action.openForm');
  });
});
