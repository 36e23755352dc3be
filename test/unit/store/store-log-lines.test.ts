import { summariseStoreLogLine } from '../../../src/store/embedded-store';

describe('forwarding the embedded store log', () => {
  it('when FerretDB dumps a wire message, then only its short message is kept', () => {
    const line =
      'time=2026-11-23T16:39:47.158Z level=WARN msg="Response message:\\n{\\n  \\"facts\\": \\"Jamie said HE HIT ME\\"\\n}" name=x';
    const summary = summariseStoreLogLine(line);
    expect(summary).toBe('Response message:');
    expect(summary).not.toContain('Jamie');
  });

  it('when a line has an unquoted msg, then that word is kept', () => {
    expect(summariseStoreLogLine('level=ERROR msg=listener_failed err=x')).toBe('listener_failed');
  });

  it('when a line is not in FerretDB format, then nothing of it is forwarded', () => {
    expect(summariseStoreLogLine('panic: Jamie Smith')).toBe('unparsed store log line');
  });
});
