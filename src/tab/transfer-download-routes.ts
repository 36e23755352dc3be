import type { Request, Response, Server } from 'restify';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { TransferDeliveryService } from '../transfers';
import type { WindowRateLimiter } from './rate-limit';
import {
  DOWNLOAD_PAGE_CSP,
  gonePage,
  receiptFormPage,
  receivedPage,
  type ReceiptTyped,
} from './transfer-download-page';

/** What the receiving school's pages need. */
export interface TransferDownloadDeps {
  readonly delivery: Pick<TransferDeliveryService, 'linkFacts' | 'confirm' | 'download'>;
  readonly perAddress: Pick<WindowRateLimiter, 'take'>;
  readonly logger: Logger;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The receiving school's single-use link, outside the tab's sign-in (they have no account here):
 * GET shows the code-and-receipt form, POST checks them, POST …/file gives the one download of
 * the encrypted file. Spent, locked or expired links answer 410. The log gets codes only: never
 * the token, the code, a name or a school.
 */
export function registerTransferDownload(server: Server, deps: TransferDownloadDeps): void {
  const log = deps.logger.child({ component: 'transfer-download' });

  const html = (res: Response, status: number, body: string) => {
    res.setHeader('Content-Security-Policy', DOWNLOAD_PAGE_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Frame-Options', 'DENY');
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  /** The token from the path, after the address's rate limit; undefined once answered. */
  const tokenOf = (req: Request, res: Response): string | undefined => {
    const limited = deps.perAddress.take(`transfer:${req.socket.remoteAddress ?? 'unknown'}`);
    if (!limited.allowed) {
      res.setHeader('Retry-After', String(limited.retryAfterSeconds));
      html(res, 429, gonePage());
      return undefined;
    }
    const token = String(req.params?.token ?? '');
    if (!TOKEN.test(token)) {
      html(res, 410, gonePage());
      return undefined;
    }
    return token;
  };
  const refuse = (res: Response, error: unknown) => {
    const code = error instanceof AppError ? error.code : 'INTERNAL';
    log.warn({ event: 'transfer.download_refused', code }, code);
    if (code === 'TRANSFER.LINK_GONE') html(res, 410, gonePage());
    else if (error instanceof AppError) html(res, 400, gonePage());
    else html(res, 500, gonePage());
  };

  server.get('/transfer/:token', async (req: Request, res: Response) => {
    const token = tokenOf(req, res);
    if (!token) return;
    try {
      html(res, 200, receiptFormPage(`/transfer/${token}`, await deps.delivery.linkFacts(token)));
    } catch (error) {
      refuse(res, error);
    }
  });

  server.post('/transfer/:token', async (req: Request, res: Response) => {
    const token = tokenOf(req, res);
    if (!token) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const typed: ReceiptTyped = {
      name: text(body.name),
      school: text(body.school),
      role: text(body.role),
    };
    try {
      const { ticket } = await deps.delivery.confirm(token, { ...typed, code: text(body.code) });
      html(res, 200, receivedPage(`/transfer/${token}/file`, ticket));
    } catch (error) {
      if (
        error instanceof AppError &&
        ['TRANSFER.WRONG_CODE', 'TRANSFER.INVALID'].includes(error.code)
      ) {
        // What was typed comes back (but the code), with what is wrong.
        const facts = await deps.delivery.linkFacts(token).catch(() => undefined);
        if (!facts) return refuse(res, error);
        const problem =
          error.code === 'TRANSFER.WRONG_CODE'
            ? `That code is not right. ${facts.attemptsLeft} ${facts.attemptsLeft === 1 ? 'try' : 'tries'} left before the link locks.`
            : `Please check the form: ${error.message}.`;
        log.warn({ event: 'transfer.download_refused', code: error.code }, error.code);
        html(
          res,
          error.code === 'TRANSFER.WRONG_CODE' ? 403 : 400,
          receiptFormPage(`/transfer/${token}`, facts, problem, typed),
        );
        return;
      }
      refuse(res, error);
    }
  });

  server.post('/transfer/:token/file', async (req: Request, res: Response) => {
    const token = tokenOf(req, res);
    if (!token) return;
    const ticket = text((req.body as Record<string, unknown> | undefined)?.ticket);
    try {
      const { envelope, sha256 } = await deps.delivery.download(token, ticket);
      res.setHeader('Cache-Control', 'no-store');
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': 'attachment; filename="child-protection-file.sgx"',
        'Content-Length': String(envelope.length),
        'X-Content-SHA256': sha256,
      });
      res.end(envelope);
    } catch (error) {
      refuse(res, error);
    }
  });
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 500) : '';
}
