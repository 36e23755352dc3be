/** Where Teams, Outlook and Microsoft 365 frame a tab from: nothing else may frame it. */
const TEAMS_FRAME_ANCESTORS = [
  "'self'",
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.office.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft365.com',
];

/**
 * The tab page's Content Security Policy: its own scripts only (no inline script), its own API,
 * framed only by Teams. Inline styles stay allowed because Fluent UI (Griffel) inserts style
 * rules at run time.
 */
const TAB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // teams-js fetches Microsoft's current list of valid Teams origins from the Office CDN.
  "connect-src 'self' https://res.cdn.office.net",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  `frame-ancestors ${TEAMS_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

/** JSON answers are data, never a page: nothing may run or frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** Headers every tab page gets (the CSP above, and nothing the browser may guess or keep). */
export function tabPageHeaders(production: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': TAB_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    'Cross-Origin-Resource-Policy': 'same-origin',
    ...(production ? { 'Strict-Transport-Security': 'max-age=31536000; includeSubDomains' } : {}),
  };
}
