const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export const formatDate = (iso: string): string => DATE.format(new Date(iso));
export const formatDateTime = (iso: string): string => DATE_TIME.format(new Date(iso));

const TYPE_LABELS: Record<string, string> = {
  incident: 'Concern',
  action: 'Action',
  amendment: 'Amendment',
  file: 'File',
  'transferred-in': 'Transferred in',
};
export const entryTypeLabel = (type: string): string => TYPE_LABELS[type] ?? type;

/** A short user-safe message for anything thrown (API errors carry the server's own wording). */
export const messageOf = (error: unknown): string =>
  error instanceof Error && error.message ? error.message : 'Something went wrong.';
