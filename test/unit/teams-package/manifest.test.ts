import { COMMANDS } from '../../../src/bot/commands';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { loadConfig, type AppConfig } from '../../../src/config';
import {
  buildAppPackage,
  fillManifest,
  type ManifestValues,
} from '../../../src/teams-package/build-package';

// The official schema as bundled in @microsoft/app-manifest, so the test never reaches outside
// the project. Its own validator fails to load, hence ajv-draft-04 (the schema is draft-04).
const SCHEMA_FILE =
  require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.22/MicrosoftTeams.schema.json');

// Only the parts the assertions read; the schema check runs first and vouches for the rest.
interface ManifestShape {
  id: string;
  manifestVersion: string;
  bots: { botId: string; commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
  staticTabs: { entityId: string; contentUrl?: string }[];
  validDomains: string[];
  webApplicationInfo: { id: string; resource: string };
}

interface UnpackedPackage {
  entries: string[];
  manifest: ManifestShape;
  color: PNG;
  outline: PNG;
}

const PRODUCTION_IDS = {
  teamsApp: '3f6b2a9e-8c41-4d2b-9a57-1e0c6d7f4b21',
  bot: '9d2e7c14-5b3a-4f86-a0c9-7e1d2b4f6a83',
  tabClient: 'c47a1b90-2e6d-4c35-8f12-b9a0e3d5c768',
  tenant: '5e8f0a2c-7b14-4d96-b3e1-0f6a9c2d4e57',
};

function buildDevelopmentConfig(): AppConfig {
  return loadConfig({ APP_MODE: 'development', PORT: '3978' });
}

function buildProductionConfig(): AppConfig {
  return loadConfig({
    APP_MODE: 'production',
    PUBLIC_BASE_URL: 'https://safeguarding.example.org',
    MicrosoftAppId: PRODUCTION_IDS.bot,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppTenantId: PRODUCTION_IDS.tenant,
    TEAMS_APP_ID: PRODUCTION_IDS.teamsApp,
    TAB_CLIENT_ID: PRODUCTION_IDS.tabClient,
    MONGODB_URI: 'mongodb://db.example.org:27017',
    KEY_VAULT_KEY_ID:
      'https://school.vault.azure.net/keys/safeguarding-records/0123456789abcdef0123456789abcdef',
  });
}

function buildManifestValues(): ManifestValues {
  return {
    TEAMS_APP_ID: PRODUCTION_IDS.teamsApp,
    BOT_ID: PRODUCTION_IDS.bot,
    TAB_CLIENT_ID: PRODUCTION_IDS.tabClient,
    PUBLIC_HOST: 'safeguarding.example.org',
    PUBLIC_BASE_URL: 'https://safeguarding.example.org',
    APP_VERSION: '1.2.3',
  };
}

async function unpack(zipFile: string): Promise<UnpackedPackage> {
  const zip = await JSZip.loadAsync(await readFile(zipFile));
  const read = async (name: string): Promise<Buffer> => {
    const entry = zip.file(name);
    if (entry === null) throw new Error(`${name} is missing from the package`);
    return entry.async('nodebuffer');
  };
  return {
    entries: Object.keys(zip.files).sort(),
    manifest: JSON.parse((await read('manifest.json')).toString('utf8')) as ManifestShape,
    color: PNG.sync.read(await read('color.png')),
    outline: PNG.sync.read(await read('outline.png')),
  };
}

let validateManifest: (manifest: unknown) => string[];
let workDir: string;

beforeAll(async () => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as object);
  // Returned as readable lines so a failing expectation prints ajv's errors in full.
  validateManifest = (manifest) =>
    validate(manifest)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
  workDir = await mkdtemp(path.join(os.tmpdir(), 'teams-package-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('Teams app package', () => {
  let development: UnpackedPackage;

  beforeAll(async () => {
    const { outFile } = await buildAppPackage(
      buildDevelopmentConfig(),
      path.join(workDir, 'development', 'app-package.zip'),
    );
    development = await unpack(outFile);
  });

  it('when built from the development config, then the zip holds exactly manifest.json and the two icons at its root', () => {
    expect(development.entries).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it('when built from the development config, then the manifest read back from the zip validates against the v1.22 schema', () => {
    expect(validateManifest(development.manifest)).toEqual([]);
    expect(development.manifest.manifestVersion).toBe('1.22');
    expect(JSON.stringify(development.manifest)).not.toContain('${{');
  });

  it('when built from the development config, then validDomains and the SSO resource use the host name without the port', () => {
    expect(development.manifest.validDomains).toEqual(['localhost']);
    expect(development.manifest.webApplicationInfo.resource).toBe(
      `api://localhost/${development.manifest.webApplicationInfo.id}`,
    );
  });

  it('when the package is built, then color.png is 192×192 and outline.png is 32×32', () => {
    expect([development.color.width, development.color.height]).toEqual([192, 192]);
    expect([development.outline.width, development.outline.height]).toEqual([32, 32]);
  });

  it('when the package is built, then every outline.png pixel is either fully transparent or white', () => {
    const { data } = development.outline;
    const offending: string[] = [];
    for (let offset = 0; offset < data.length; offset += 4) {
      const [r, g, b, a] = [data[offset], data[offset + 1], data[offset + 2], data[offset + 3]];
      if (a !== 0 && (r !== 255 || g !== 255 || b !== 255)) {
        offending.push(`pixel ${offset / 4}: rgba(${r}, ${g}, ${b}, ${a})`);
      }
    }
    expect(offending).toEqual([]);
    // And it is not blank: there is a visible white shape on the transparency.
    expect(data.some((value, index) => index % 4 === 3 && value === 255)).toBe(true);
  });

  it('when the package is built, then the bot offers exactly the commands it answers, in personal scope', () => {
    const commandLists = development.manifest.bots[0]?.commandLists ?? [];
    expect(commandLists).toHaveLength(1);
    expect(commandLists[0]?.scopes).toEqual(['personal']);
    const titles = commandLists[0]?.commands.map((c) => c.title);
    expect(titles).toEqual(['report', 'history', 'actions', 'desk', 'help', 'alerts', 'concern']);
    // The manifest's menu and the bot's own list (src/bot/commands.ts) must not drift apart.
    expect(titles).toEqual(COMMANDS.map((c) => c.command));
  });

  it('when built from a production-like config, then the manifest validates and carries its ids and https host', async () => {
    const { outFile, manifest } = await buildAppPackage(
      buildProductionConfig(),
      path.join(workDir, 'production', 'app-package.zip'),
    );
    const unpacked = await unpack(outFile);

    expect(validateManifest(unpacked.manifest)).toEqual([]);
    expect(unpacked.manifest).toEqual(manifest);
    expect(unpacked.manifest.id).toBe(PRODUCTION_IDS.teamsApp);
    expect(unpacked.manifest.bots[0]?.botId).toBe(PRODUCTION_IDS.bot);
    expect(unpacked.manifest.webApplicationInfo).toEqual({
      id: PRODUCTION_IDS.tabClient,
      resource: `api://safeguarding.example.org/${PRODUCTION_IDS.tabClient}`,
    });
    expect(unpacked.manifest.validDomains).toEqual(['safeguarding.example.org']);
    expect(unpacked.manifest.staticTabs.find((t) => t.entityId === 'chronology')?.contentUrl).toBe(
      'https://safeguarding.example.org/tab/index.html',
    );
  });
});

describe('fillManifest', () => {
  it('when the template has an unknown placeholder, then it refuses and names the placeholder', () => {
    const template = { name: { short: '${{SCHOOL_NAME}}' }, id: '${{TEAMS_APP_ID}}' };
    expect(() => fillManifest(template, buildManifestValues())).toThrow(/\$\{\{SCHOOL_NAME\}\}/);
  });

  it('when a known placeholder has no value, then it refuses and names the placeholder', () => {
    const values = { ...buildManifestValues(), BOT_ID: '' };
    expect(() => fillManifest({ bots: [{ botId: '${{BOT_ID}}' }] }, values)).toThrow(
      /\$\{\{BOT_ID\}\}.*bots\[0\]\.botId/,
    );
  });

  it('when every placeholder is known, then all of them are replaced, inside longer strings too', () => {
    const filled = fillManifest(
      { resource: 'api://${{PUBLIC_HOST}}/${{TAB_CLIENT_ID}}', list: ['${{APP_VERSION}}', 3] },
      buildManifestValues(),
    );
    expect(filled).toEqual({
      resource: `api://safeguarding.example.org/${PRODUCTION_IDS.tabClient}`,
      list: ['1.2.3', 3],
    });
  });
});

describe('the schema the manifest is checked against', () => {
  const shared = path.join(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'shared',
    'schemas',
    'teams-manifest-1.22.schema.json',
  );
  // People who clone the project have no ../shared; there the bundled copy is all there is.
  const itWhenShared = fs.existsSync(shared) ? it : it.skip;

  itWhenShared(
    'when ../shared is beside the project, then the npm-bundled v1.22 schema is the same file',
    () => {
      const bundled =
        require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.22/MicrosoftTeams.schema.json');
      expect(fs.readFileSync(bundled)).toEqual(fs.readFileSync(shared));
    },
  );
});
