import fs from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { tabPageHeaders } from './security-headers';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * Serves the built tab client (Vite output) at /tab/: files by path, index.html for any other
 * /tab/ route (the client routes itself), each with the tab's security headers. Hashed assets may
 * be cached; the page itself never is.
 */
export function registerStaticTab(server: Server, rootDir: string, production: boolean): void {
  const root = path.resolve(rootDir);
  const headers = tabPageHeaders(production);

  server.get('/tab', (_req, res, next) => {
    res.header('Location', '/tab/');
    res.send(302);
    next(false);
  });

  server.get('/tab/*', async (req: Request, res: Response) => {
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    const wanted = decodeSafely((req.path() ?? '').replace(/^\/tab\/?/, ''));
    const file = wanted ? path.resolve(root, wanted) : undefined;
    // Only files inside the client folder; ".." or an encoded escape falls back to the page.
    const inside = file && file.startsWith(root + path.sep) ? file : undefined;
    const served =
      (inside && (await readFile(inside))) || (await readFile(path.join(root, 'index.html')));
    if (!served) {
      res.header('Content-Type', 'text/plain; charset=utf-8');
      res.sendRaw(404, 'The tab client is not built (npm run build:tab).');
      return;
    }
    const type = CONTENT_TYPES[path.extname(served.file)] ?? 'application/octet-stream';
    res.setHeader('Content-Type', type);
    res.setHeader(
      'Cache-Control',
      served.file.includes(`${path.sep}assets${path.sep}`)
        ? 'public, max-age=31536000, immutable'
        : 'no-store',
    );
    res.sendRaw(200, served.body);
  });
}

function decodeSafely(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

async function readFile(file: string): Promise<{ file: string; body: Buffer } | undefined> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return undefined;
    return { file, body: await fs.readFile(file) };
  } catch {
    return undefined;
  }
}
