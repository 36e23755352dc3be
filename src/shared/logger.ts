import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear one or two levels deep. Child-protection data: a log line
 * may carry ids and codes, never a name, a narrative, a message text or a token.
 */
const REDACTED_KEYS = [
  'name',
  'givenName',
  'surname',
  'displayName',
  'legalName',
  'preferredName',
  'email',
  'text',
  'facts',
  'narrative',
  'childsWords',
  'adultsWords',
  'opinion',
  'value',
  'token',
  'accessToken',
  'authorization',
  'password',
  'secret',
  'MicrosoftAppPassword',
  // Encryption at rest: nothing logs these, and if something ever did, they would not show.
  'clientSecret',
  'dataKey',
  'wrappedKey',
  'ciphertext',
  'sealed',
  'sealedValues',
];

const REDACT_PATHS = [
  ...REDACTED_KEYS,
  ...REDACTED_KEYS.map((k) => `*.${k}`),
  ...REDACTED_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
];

/** Creates the process logger (JSON lines on stdout, or the given destination). */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'safeguarding' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
