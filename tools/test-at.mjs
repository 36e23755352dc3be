#!/usr/bin/env node
// Runs the test suite with the clock of Node, the app and the Agents Playground shifted to a time
// of day in London (e.g. `npm run test:at -- 00:20`), to prove that no test depends on the hour it
// runs. Uses Debian's libfaketime (`apt-get install faketime`): a relative offset, so time still
// passes (a run started at 23:55 crosses midnight, which is the point). The browser tests launch
// Chromium without it (test/support/chromium.ts), so the tab runs on the real clock, as a browser
// whose clock differs from the server's does in real life. Extra arguments go to jest.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [at, ...jestArgs] = process.argv.slice(2);
const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(at ?? '');
if (!match) {
  process.stderr.write('Usage: npm run test:at -- HH:MM [jest arguments]  (London time)\n');
  process.exit(2);
}

const library = findLibfaketime();
if (!library) {
  process.stderr.write(
    'libfaketime is not installed: `apt-get install faketime` (Debian) provides it.\n',
  );
  process.exit(2);
}

const offsetSeconds = secondsUntilLondonTime(Number(match[1]), Number(match[2]));
const shifted = new Date(Date.now() + offsetSeconds * 1000);
process.stdout.write(
  `Running the tests with the clock at ${shifted.toLocaleString('en-GB', { timeZone: 'Europe/London' })} London time (offset ${offsetSeconds} s).\n`,
);
const jest = path.join(import.meta.dirname, '..', 'node_modules', 'jest', 'bin', 'jest.js');
const result = spawnSync(process.execPath, [jest, ...jestArgs], {
  stdio: 'inherit',
  env: {
    ...process.env,
    LD_PRELOAD: [library, process.env.LD_PRELOAD].filter(Boolean).join(' '),
    FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}`,
    // Timers and timeouts keep real durations; only the wall clock moves.
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  },
});
process.exit(result.status ?? 1);

/** Seconds from now to HH:MM today in London (negative when that time has passed). */
function secondsUntilLondonTime(hours, minutes) {
  const now = new Date();
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hour12: false,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(now)
      .map((p) => [p.type, Number(p.value)]),
  );
  const nowSeconds = (parts.hour % 24) * 3600 + parts.minute * 60 + parts.second;
  return hours * 3600 + minutes * 60 - nowSeconds;
}

function findLibfaketime() {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']) {
    const file = path.join(dir, 'faketime', 'libfaketime.so.1');
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}
