export { selectAlertRecipients, type AlertRecipient } from './alert-recipients';
