/**
 * libfaketime's settings, when `npm run test:at` shifts the tests' clock (tools/test-at.mjs).
 * Children that are part of the system under test (the app as a process) must keep the same
 * clock as the test that drives them, so they get these; Chromium must not (it crawls under
 * libfaketime), so test/support/chromium.ts removes them.
 */
const CLOCK_SHIFT_KEYS = ['LD_PRELOAD', 'FAKETIME', 'FAKETIME_DONT_FAKE_MONOTONIC'] as const;

/** The clock-shift variables of this process's environment, to hand on to a child. */
export function clockShiftEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of CLOCK_SHIFT_KEYS) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
}
