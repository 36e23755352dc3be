import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import JSZip from 'jszip';
import { ConfigError, type AppConfig } from '../config';
import { AppError } from '../shared/errors';

// Two levels up from src/teams-package (ts-jest) or dist/teams-package (compiled): the same root.
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const MANIFEST_DIR = path.join(PROJECT_ROOT, 'manifest');
const ICON_FILES = ['color.png', 'outline.png'] as const;

const PLACEHOLDER_KEYS = [
  'TEAMS_APP_ID',
  'BOT_ID',
  'TAB_CLIENT_ID',
  'PUBLIC_HOST',
  'PUBLIC_BASE_URL',
  'APP_VERSION',
] as const;

type ManifestPlaceholder = (typeof PLACEHOLDER_KEYS)[number];

/** Every value the manifest template may ask for; typed so a new placeholder is not forgotten. */
export type ManifestValues = Readonly<Record<ManifestPlaceholder, string>>;

// What buildAppPackage wrote, so callers (and tests) need not unzip the package again.
interface AppPackage {
  readonly outFile: string;
  readonly manifest: unknown;
}

// `${{KEY}}` as the Teams Toolkit writes it; spaces inside the braces are tolerated.
const PLACEHOLDER = /\$\{\{\s*([^{}]*?)\s*\}\}/g;

const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

function isPlaceholderKey(key: string): key is ManifestPlaceholder {
  return (PLACEHOLDER_KEYS as readonly string[]).includes(key);
}

/**
 * Fills every `${{KEY}}` in the template's strings. Refuses (listing all of them) placeholders
 * that are unknown or have no value, so a half-filled manifest never reaches Teams, whose own
 * upload errors do not say which field is wrong.
 */
export function fillManifest(template: unknown, values: ManifestValues): unknown {
  const problems: string[] = [];

  const fillString = (text: string, at: string): string => {
    // A `${{` that is not a whole placeholder (a typo such as `${{BOT_ID}`) would otherwise pass.
    if (text.replace(PLACEHOLDER, '').includes('${{')) {
      problems.push(`malformed placeholder at ${at}: ${JSON.stringify(text)}`);
    }
    return text.replace(PLACEHOLDER, (whole, key: string) => {
      if (!isPlaceholderKey(key)) {
        problems.push(
          `unknown placeholder ${whole} at ${at} (known: ${PLACEHOLDER_KEYS.join(', ')})`,
        );
        return whole;
      }
      const value = (values as Partial<ManifestValues>)[key];
      if (value === undefined || value === '') {
        problems.push(`placeholder ${whole} at ${at} was left unfilled (no value given)`);
        return whole;
      }
      return value;
    });
  };

  const fill = (node: unknown, at: string): unknown => {
    if (typeof node === 'string') return fillString(node, at);
    if (Array.isArray(node)) return node.map((item, index) => fill(item, `${at}[${index}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(
        Object.entries(node).map(([key, item]) => {
          const where = at === '' ? key : `${at}.${key}`;
          return [fillString(key, `${where} (key)`), fill(item, where)];
        }),
      );
    }
    return node;
  };

  const filled = fill(template, '');
  if (problems.length > 0) {
    throw new AppError(
      'TEMPLATE.UNBOUND',
      `Teams manifest template cannot be filled:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  return filled;
}

/**
 * Maps configuration onto the template's placeholders. Ids fall back the way a single Entra
 * app registration is usually shared: the bot's id, then the Teams app id.
 */
function resolveManifestValues(config: AppConfig, appVersion: string): ManifestValues {
  const problems: string[] = [];
  let publicHost = '';
  try {
    // Host name only, never the port: Teams wants validDomains without one, and the SSO
    // resource (api://<host>/<client id>) must match the Entra "Application ID URI", which has
    // none either. Development's http://localhost:3978 therefore gives `localhost`.
    publicHost = new URL(config.publicBaseUrl).hostname;
  } catch {
    problems.push(`PUBLIC_BASE_URL is not a URL: ${JSON.stringify(config.publicBaseUrl)}`);
  }

  const botId = config.bot.appId ?? config.teamsAppId;
  const tabClientId = config.tabClientId ?? botId;
  // The schema (and Teams) require GUIDs here; say which setting is wrong now rather than
  // leave it to an opaque upload error in Teams. Ids fall back to one another, so one bad value
  // is reported once, with every role it plays.
  const ids: [label: string, settings: string[], id: string][] = [
    ['Teams app id', ['TEAMS_APP_ID', 'MicrosoftAppId'], config.teamsAppId],
    ['bot id', ['MicrosoftAppId'], botId],
    ['tab client id', ['TAB_CLIENT_ID', 'MicrosoftAppId'], tabClientId],
  ];
  const badIds = new Map<string, { labels: string[]; settings: Set<string> }>();
  for (const [label, settings, id] of ids) {
    if (GUID.test(id)) continue;
    const bad = badIds.get(id) ?? { labels: [], settings: new Set<string>() };
    bad.labels.push(label);
    settings.forEach((setting) => bad.settings.add(setting));
    badIds.set(id, bad);
  }
  for (const [id, { labels, settings }] of badIds) {
    problems.push(
      `${labels.join(', ')} ${JSON.stringify(id)} is not a GUID (set by ${[...settings].join(' or ')})`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    TEAMS_APP_ID: config.teamsAppId,
    BOT_ID: botId,
    TAB_CLIENT_ID: tabClientId,
    PUBLIC_HOST: publicHost,
    // Kept as configured, http included. The v1.22 schema accepts http:// (its httpsUrl pattern
    // is `^[Hh][Tt][Tt][Pp][Ss]?://`), so the development package still validates, but the Teams
    // client only loads https tab pages: sideloading a development build needs an https tunnel
    // in PUBLIC_BASE_URL. Production config already refuses anything but https.
    PUBLIC_BASE_URL: config.publicBaseUrl,
    APP_VERSION: appVersion,
  };
}

async function readAppVersion(): Promise<string> {
  const packageJson = JSON.parse(
    await readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8'),
  ) as unknown;
  const version =
    packageJson !== null && typeof packageJson === 'object' && 'version' in packageJson
      ? packageJson.version
      : undefined;
  // An empty value makes fillManifest report APP_VERSION as unfilled, by name.
  return typeof version === 'string' ? version : '';
}

/**
 * Builds the zip an admin uploads to Teams (manifest.json, color.png, outline.png at its root)
 * from manifest/ and the running configuration, so the package always matches the deployment.
 */
export async function buildAppPackage(config: AppConfig, outFile: string): Promise<AppPackage> {
  const [templateText, appVersion, icons] = await Promise.all([
    readFile(path.join(MANIFEST_DIR, 'manifest.template.json'), 'utf8'),
    readAppVersion(),
    Promise.all(
      ICON_FILES.map(async (name) => ({
        name,
        data: await readFile(path.join(MANIFEST_DIR, name)),
      })),
    ),
  ]);
  const manifest = fillManifest(
    JSON.parse(templateText) as unknown,
    resolveManifestValues(config, appVersion),
  );

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  for (const icon of icons) zip.file(icon.name, icon.data);
  const content = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });

  const target = path.resolve(outFile);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, content);
  return { outFile: target, manifest };
}
