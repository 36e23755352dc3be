import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's package, used when it is installed; Playwright's own download cannot work offline. */
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * @sparticuz/chromium's recommended flags that we do not pass: `--single-process` breaks pages
 * and contexts under Playwright; Playwright adds `--headless` itself (the package's
 * `--headless='shell'` reaches Chromium with its quotes); a second `--disable-features` or
 * `--enable-features` would replace Playwright's own lists (the last one wins); and the tests
 * must see the browser's real security model (CSP, same-origin), so no `--disable-web-security`,
 * `--allow-running-insecure-content` or `--disable-site-isolation-trials`.
 */
const UNWANTED_BUNDLED_ARGS = [
  /^--single-process$/,
  /^--headless\b/,
  /^--(disable|enable)-features=/,
  /^--disable-web-security$/,
  /^--allow-running-insecure-content$/,
  /^--disable-site-isolation-trials$/,
];

interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * The environment without libfaketime: tests may run under a shifted clock, but Chromium crawls
 * under it, and the browser has no reason to see the test's time.
 */
function realClockEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue;
    if (key === 'LD_PRELOAD' || key === 'FAKETIME') continue;
    if (key.startsWith('FAKETIME_') || key.startsWith('DONT_FAKE')) continue;
    env[key] = value;
  }
  return env;
}

/**
 * Unpacks @sparticuz/chromium's browser once per version into the temp directory (its
 * `executablePath()` would otherwise share `/tmp/chromium` across versions and runs), with the
 * NSS libraries it ships (a machine without Debian's chromium may lack them) and a font
 * configuration that adds its fonts to the system's. The package is ESM-only, which Jest's
 * CommonJS runtime cannot import, so a child Node does the unpacking. Unpacked into a staging
 * directory and renamed into place, so two workers never see half a browser.
 */
function unpackBundledChromium(env: Record<string, string>): ChromiumLaunch {
  const entry = require.resolve('@sparticuz/chromium');
  const packageDir = path.dirname(path.dirname(entry));
  const { version } = JSON.parse(
    fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'),
  ) as { version: string };
  const dir = path.join(os.tmpdir(), `sparticuz-chromium-${version}`);
  const argsFile = path.join(dir, 'args.json');
  if (!fs.existsSync(argsFile)) {
    const staging = fs.mkdtempSync(`${dir}-staging-`);
    try {
      const script = `
        import { join } from 'node:path';
        import { writeFileSync } from 'node:fs';
        const { default: chromium, inflate } = await import(${JSON.stringify(pathToFileURL(entry).href)});
        await chromium.executablePath();
        await inflate(join(${JSON.stringify(path.join(packageDir, 'bin'))}, 'al2023.tar.br'));
        writeFileSync(join(process.env.TMPDIR, 'args.json'), JSON.stringify(chromium.args));
      `;
      // Its paths all derive from os.tmpdir(), i.e. TMPDIR.
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...env, TMPDIR: staging },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      fs.writeFileSync(
        path.join(staging, 'fonts.conf'),
        `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>
  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>
</fontconfig>
`,
      );
      fs.renameSync(staging, dir);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      // Another worker finished first: use its copy.
      if (!fs.existsSync(argsFile)) throw error;
    }
  }
  const bundledArgs = JSON.parse(fs.readFileSync(argsFile, 'utf8')) as string[];
  const libDir = path.join(dir, 'al2023', 'lib');
  return {
    executablePath: path.join(dir, 'chromium'),
    args: [
      ...ARGS,
      ...bundledArgs.filter(
        (arg) => !ARGS.includes(arg) && !UNWANTED_BUNDLED_ARGS.some((re) => re.test(arg)),
      ),
    ],
    env: {
      ...env,
      LD_LIBRARY_PATH: [libDir, env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_FILE: path.join(dir, 'fonts.conf'),
    },
  };
}

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH` when set, else Debian's
 * `/usr/bin/chromium` when installed, else the one inside the `@sparticuz/chromium` devDependency
 * (so `npm install && npm test` is enough).
 */
function resolveChromium(): ChromiumLaunch {
  const env = realClockEnv();
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    const executablePath = path.resolve(fromEnv);
    try {
      fs.accessSync(executablePath, fs.constants.X_OK);
      if (!fs.statSync(executablePath).isFile()) throw new Error('not a file');
    } catch {
      throw new Error(
        `CHROMIUM_PATH=${fromEnv} is not an executable file. Point it at a Chromium binary, or ` +
          `unset it to use ${DEBIAN_CHROMIUM} or the bundled @sparticuz/chromium.`,
      );
    }
    return { executablePath, args: ARGS, env };
  }
  if (fs.existsSync(DEBIAN_CHROMIUM)) return { executablePath: DEBIAN_CHROMIUM, args: ARGS, env };
  return unpackBundledChromium(env);
}

/** A headless Chromium with a fresh, empty profile; `close` also deletes the profile. */
export async function launchChromium(): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const { executablePath, args, env } = resolveChromium();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args,
    env,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
