export { selectAlertRecipients, type AlertRecipient } from './alert-recipients';
export type { Acknowledgement, Alert } from './alert.types';
export { AlertRepository } from './alert.repository';
export { AlertService } from './alert.service';
export {
  DeliveryWorker,
  type AlertChannel,
  type Delivered,
  type DeliveryWorkerOptions,
} from './delivery-worker';
export { SendRateLimiter } from './rate-limiter';
export {
  DEFAULT_ESCALATION,
  escalationConfigSchema,
  escalationLadderText,
  type EscalationConfig,
} from './escalation';
export type { AppInstaller, InstallResult } from './app-installer';
export { DeliveryBell } from './delivery-bell';
export { subscribeActionAlerts } from './alert-subscriptions';
export { ActionAlerts, type AddedActionSubject } from './action-alerts';
export { createAlertOutbox, createAlertsModule, type AlertsConfig } from './alerts.module';
export { createAlertCopies } from './alerts.module';
export type { AlertCopies } from './alert-copies';
export type { AlertCopy } from './alert-sends.repository';
export { AdultConcernAlerts } from './adult-concern-alerts';
export { nextEscalation } from './escalation';
export { RECIPIENT_MISSING_TRIES } from './delivery-outcome';
export { acknowledgementChanges } from './acknowledgement-audit';
