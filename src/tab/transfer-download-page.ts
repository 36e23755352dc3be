import { createHash } from 'node:crypto';

/**
 * The receiving school's pages: plain HTML from the server, no script, one inline style allowed
 * by its hash. Before the right code they say only which school is sending and until when: no
 * pupil name, no record.
 */

const STYLE = `
body{font-family:Segoe UI,Helvetica,Arial,sans-serif;max-width:38rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.4rem}label{display:block;margin-top:1rem;font-weight:600}
input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;border:1px solid #666;border-radius:4px}
button{font:inherit;margin-top:1.2rem;padding:.5rem 1.2rem;background:#5b5fc7;color:#fff;border:0;border-radius:4px;cursor:pointer}
.problem{border-left:4px solid #c4314b;padding:.3rem .8rem;background:#fdf3f4}
.done{border-left:4px solid #237b4b;padding:.3rem .8rem;background:#f1faf4}
.small{color:#555;font-size:.9rem}`;

/** The page's CSP: nothing runs, nothing loads, forms post only here, nothing frames it. */
export const DOWNLOAD_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** What the receipt form had in it (never the code: it is typed again). */
export interface ReceiptTyped {
  readonly name?: string;
  readonly school?: string;
  readonly role?: string;
}

function escape(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en-GB"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${escape(title)}</title><style>${STYLE}</style></head><body>
${body}
</body></html>`;
}

/** The form: the one-time code and the receipt (name, school, role). */
export function receiptFormPage(
  action: string,
  facts: { fromSchool: string; expiresAt: Date; attemptsLeft: number },
  problem?: string,
  typed: ReceiptTyped = {},
): string {
  const field = (name: keyof ReceiptTyped, label: string, autocomplete: string) =>
    `<label for="${name}">${label}</label><input id="${name}" name="${name}" required maxlength="200" autocomplete="${autocomplete}" value="${escape(typed[name] ?? '')}">`;
  return page(
    'A child protection file for you',
    `<h1>A child protection file from ${escape(facts.fromSchool)}</h1>
<p>A pupil joining your school has a child protection file. Type the one-time code the sending
school's DSL gave you by phone or another channel, and confirm receipt. You can then download the
file once (it stays encrypted; open it with the same code).</p>
${problem ? `<p class="problem" role="alert">${escape(problem)}</p>` : ''}
<form method="post" action="${escape(action)}">
<label for="code">One-time code</label><input id="code" name="code" required maxlength="64" autocomplete="one-time-code" spellcheck="false">
${field('name', 'Your name', 'name')}
${field('school', 'Your school', 'organization')}
${field('role', 'Your role (e.g. DSL)', 'organization-title')}
<button type="submit">Confirm receipt</button>
</form>
<p class="small">The link works until ${escape(facts.expiresAt.toUTCString())}, once, and locks after
${facts.attemptsLeft === 1 ? 'one more wrong code' : `${facts.attemptsLeft} wrong codes`}. Every visit is recorded.</p>`,
  );
}

/** After the right code: the receipt is recorded; one download of the encrypted file. */
export function receivedPage(action: string, ticket: string): string {
  return page(
    'Receipt recorded',
    `<h1>Thank you: your receipt is recorded</h1>
<p class="done" role="status">The sending school can see that the file has arrived.</p>
<form method="post" action="${escape(action)}">
<input type="hidden" name="ticket" value="${escape(ticket)}">
<button type="submit">Download the file (once)</button>
</form>
<p class="small">The file (<code>child-protection-file.sgx</code>) is encrypted. Open it with the
same one-time code: import it into a system that reads the open transfer format, or follow the
published format's instructions. The download works once, within 15 minutes.</p>`,
  );
}

/** A spent, locked or expired link (410), or one that never existed. */
export function gonePage(): string {
  return page(
    'This link no longer works',
    `<h1>This link no longer works</h1>
<p>It has been used, has expired, or was locked after too many wrong codes. Please contact the
sending school's designated safeguarding lead: they can send the file again.</p>`,
  );
}
