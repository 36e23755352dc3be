export { selectAlertRecipients } from './alert-recipients';
