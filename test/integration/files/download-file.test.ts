import { downloadFile } from '../../../src/bot/file-upload/download-file';
import { TeamsFileServer } from './teams-file-server';
import { codeOf } from '../../support/error-code';

const MB = 1024 * 1024;
const policy = { timeoutMs: 5_000, maxBytes: 10 * MB, allowLocalHttp: true };

describe('downloading a file Teams offers (real HTTP on 127.0.0.1)', () => {
  const server = new TeamsFileServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  it('when the URL answers 200, then the bytes come back whole', async () => {
    const body = Buffer.from('%PDF-1.4 hello');
    const url = server.serve('minutes.pdf', { kind: 'bytes', body });
    expect((await downloadFile(url, policy)).equals(body)).toBe(true);
  });

  it('when the URL answers 404, then the download fails', async () => {
    const url = server.serve('gone.pdf', { kind: 'status', status: 404 });
    expect(await codeOf(downloadFile(url, policy))).toBe('FILE.DOWNLOAD_FAILED');
  });

  it('when the response streams far more than 10 MB, then reading stops just past the cap', async () => {
    const url = server.serve('huge.pdf', { kind: 'endless', totalBytes: 200 * MB });
    expect(await codeOf(downloadFile(url, policy))).toBe('FILE.TOO_LARGE');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const served = server.record(url);
    expect(served.cutOff).toBe(true);
    // Socket buffers absorb a few MB more than was read; 200 MB were on offer.
    expect(served.bytesSent).toBeLessThan(30 * MB);
  });

  it('when the response declares more than 10 MB, then nothing is read', async () => {
    const url = server.serve('declared.pdf', { kind: 'declared', contentLength: 11 * MB });
    expect(await codeOf(downloadFile(url, policy))).toBe('FILE.TOO_LARGE');
  });

  it('when the server never answers, then the download times out', async () => {
    const url = server.serve('slow.pdf', { kind: 'hang' });
    const started = Date.now();
    expect(await codeOf(downloadFile(url, { ...policy, timeoutMs: 300 }))).toBe(
      'FILE.DOWNLOAD_FAILED',
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('when local http is not allowed (production), then only https URLs are fetched', async () => {
    const url = server.serve('local.pdf', { kind: 'bytes', body: Buffer.from('x') });
    const production = { ...policy, allowLocalHttp: false };
    expect(await codeOf(downloadFile(url, production))).toBe('FILE.URL_NOT_ALLOWED');
    expect(server.record(url).hits).toBe(0);
  });

  it('when the URL is plain http to another host, or not http at all, then it is refused', async () => {
    for (const url of [
      'http://example.invalid/file.pdf',
      'file:///etc/passwd',
      'ftp://example.invalid/x',
      'https://user:pass@example.invalid/x',
      'not a url',
    ]) {
      expect(await codeOf(downloadFile(url, policy))).toBe('FILE.URL_NOT_ALLOWED');
    }
  });

  it('when a redirect leads somewhere not allowed, then it is not followed', async () => {
    const url = server.serve('moved.pdf', {
      kind: 'redirect',
      location: 'http://example.invalid/elsewhere.pdf',
    });
    expect(await codeOf(downloadFile(url, policy))).toBe('FILE.URL_NOT_ALLOWED');
  });

  it('when a redirect stays within what is allowed, then it is followed', async () => {
    const body = Buffer.from('%PDF-1.4 moved');
    const target = server.serve('target.pdf', { kind: 'bytes', body });
    const url = server.serve('moved-ok.pdf', { kind: 'redirect', location: target });
    expect((await downloadFile(url, policy)).equals(body)).toBe(true);
  });
});
