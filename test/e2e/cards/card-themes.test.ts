import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { AdaptiveCardJson } from '../../../src/bot/render-card';
import { launchChromium } from '../../support/chromium';
import { cardCases } from './card-cases';

// Every card, as the bot sends it, drawn by Microsoft's own Adaptive Cards renderer with the host
// config of each Teams theme, in headless Chromium, on the theme's own background; axe-core then
// checks what a person would see: text contrast, and a name for every input and dropdown.
jest.setTimeout(120_000);

const THEMES = ['light', 'dark', 'high-contrast'] as const;
type Theme = (typeof THEMES)[number];

/** Text contrast (WCAG 1.4.3) and a label on every input (1.3.1, 4.1.2). */
const RULES = ['color-contrast', 'label', 'select-name'];

const ROOT = path.join(__dirname, '..', '..', '..');
const HOST_CONFIGS = path.join(ROOT, 'test', 'fixtures', 'hostconfigs');
/** Screenshots to look at: test-artifacts/cards/<theme>/<card>.png (git-ignored). */
const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'cards');

interface HostConfigJson {
  containerStyles: { default: { backgroundColor: string } };
}

function hostConfigOf(theme: Theme): HostConfigJson {
  const file = path.join(HOST_CONFIGS, `teams-${theme}.hostconfig.json`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HostConfigJson;
}

/** A host config colour (`#RRGGBB`, or `#AARRGGBB` as Adaptive Cards writes alpha) as CSS. */
function cssColor(hex: string): string {
  const argb = /^#([0-9a-f]{2})([0-9a-f]{6})$/i.exec(hex);
  if (!argb) return hex;
  const [a, rgb] = [parseInt(argb[1]!, 16) / 255, argb[2]!];
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(rgb.slice(i, i + 2), 16));
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Card theme check</title>
    <style>
      body { margin: 0; padding: 16px; font-family: 'Segoe UI', system-ui, sans-serif; }
      #host { width: 520px; }
    </style>
  </head>
  <body><main id="host"></main></body>
</html>`;

/** What axe reported, one readable line per failing element. */
interface Finding {
  rule: string;
  target: string;
  text: string;
  detail: string;
}

/**
 * The little of the page's DOM, the renderer and axe that the check touches, typed here because
 * the project compiles without the DOM library (the code runs in the page, not in Node).
 */
interface PageNode {
  textContent: string | null;
  parentElement: PageNode | null;
  style: { background: string; colorScheme: string };
  getAttribute(name: string): string | null;
  hasAttribute(name: string): boolean;
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): Iterable<PageNode>;
  replaceChildren(...nodes: PageNode[]): void;
}
interface AxeNode {
  target: string[];
  html: string;
  any: { data?: Record<string, unknown> | null; message: string }[];
  all: { message: string }[];
  none: { message: string }[];
}
type AxeResults = Record<'violations' | 'incomplete', { id: string; nodes: AxeNode[] }[]>;
interface PageGlobals {
  document: {
    documentElement: PageNode;
    body: PageNode;
    getElementById(id: string): PageNode | null;
    querySelector(selector: string): PageNode | null;
  };
  AdaptiveCards: {
    AdaptiveCard: new () => {
      hostConfig: unknown;
      parse(json: unknown): void;
      render(): PageNode | undefined;
    };
    HostConfig: new (json: unknown) => unknown;
  };
  axe: { run(context: PageNode, options: unknown): Promise<AxeResults> };
}

/**
 * Draws one card on one theme and runs the rules. The page and the card's own root are the
 * theme's default container background, so contrast is measured against what Teams shows.
 * Controls the renderer leaves to the browser (buttons, inputs) follow the theme's light or dark
 * scheme, as Teams draws its own.
 */
async function drawAndCheck(
  page: Page,
  theme: Theme,
  card: AdaptiveCardJson,
): Promise<{ violations: Finding[]; incomplete: Finding[] }> {
  const hostConfig = hostConfigOf(theme);
  return page.evaluate(
    async ({ card, hostConfig, background, scheme, rules }) => {
      const { document, AdaptiveCards, axe } = globalThis as unknown as PageGlobals;
      document.documentElement.style.colorScheme = scheme;
      document.body.style.background = background;
      const host = document.getElementById('host')!;
      const adaptiveCard = new AdaptiveCards.AdaptiveCard();
      adaptiveCard.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
      adaptiveCard.parse(card);
      const rendered = adaptiveCard.render();
      if (!rendered) throw new Error('the renderer drew nothing');
      host.replaceChildren(rendered);
      // adaptivecards 3.0.6 puts a filtered ChoiceSet's label reference on the box around its text
      // input instead of on the input (every other input gets it on the control itself): give it
      // to the input, as Teams' own renderer does, so a missing `label` is still caught.
      for (const input of host.querySelectorAll('input.ac-choiceSetInput-filtered')) {
        const labelledBy = input.parentElement?.getAttribute('aria-labelledby');
        if (labelledBy && !input.hasAttribute('aria-labelledby'))
          input.setAttribute('aria-labelledby', labelledBy);
      }
      const results = await axe.run(host, {
        runOnly: { type: 'rule', values: rules },
        resultTypes: ['violations', 'incomplete'],
      });
      const findings = (kind: 'violations' | 'incomplete') =>
        results[kind].flatMap((rule) =>
          rule.nodes.map((node) => {
            const data = node.any.find((check) => check.data)?.data ?? {};
            const element = document.querySelector(node.target.join(' '));
            return {
              rule: rule.id,
              target: node.target.join(' '),
              text: (element?.textContent ?? '').trim().slice(0, 80) || node.html.slice(0, 120),
              detail:
                rule.id === 'color-contrast' && 'contrastRatio' in data
                  ? `${String(data.contrastRatio)}:1 (${String(data.fgColor)} on ${String(data.bgColor)}, ${String(data.fontSize)} ${String(data.fontWeight)}, needs ${String(data.expectedContrastRatio)})`
                  : [...node.any, ...node.all, ...node.none].map((c) => c.message).join('; '),
            };
          }),
        );
      return { violations: findings('violations'), incomplete: findings('incomplete') };
    },
    {
      card,
      hostConfig,
      background: cssColor(hostConfig.containerStyles.default.backgroundColor),
      scheme: theme === 'light' ? 'light' : 'dark',
      rules: RULES,
    },
  );
}

const slug = (id: string) =>
  id
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();

const readable = (findings: Finding[]) =>
  findings.map((f) => `${f.rule}: "${f.text}" — ${f.detail}`);

describe('every card in every Teams theme', () => {
  const cases = cardCases();
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setContent(PAGE);
    await page.addScriptTag({ path: require.resolve('adaptivecards/dist/adaptivecards.min.js') });
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    for (const theme of THEMES) fs.mkdirSync(path.join(SCREENSHOTS, theme), { recursive: true });
  });
  afterAll(() => browser?.close());

  it('when a card leans on colour or leaves an input unnamed, then the check says so', async () => {
    const card = (color: string) =>
      ({
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'Task overdue', color },
          {
            type: 'Input.ChoiceSet',
            id: 'side',
            placeholder: 'Front/back',
            choices: [{ title: 'Front', value: 'front' }],
          },
          {
            type: 'Input.ChoiceSet',
            id: 'pupil',
            style: 'filtered',
            value: 'P1',
            choices: [{ title: 'Jamie', value: 'P1' }],
          },
        ],
      }) as AdaptiveCardJson;
    const expected = [
      ['color-contrast', 'Task overdue'],
      ['label', expect.stringContaining('ac-choiceSetInput-filtered')],
      ['select-name', expect.stringContaining('Front')],
    ];
    const onLight = await drawAndCheck(page, 'light', card('Warning'));
    expect(onLight.violations.map((v) => [v.rule, v.text])).toEqual(expected);
    const onDark = await drawAndCheck(page, 'dark', card('Attention'));
    expect(onDark.violations.map((v) => [v.rule, v.text])).toEqual(expected);
  });

  it('when the templates are read, then no text sets a colour: meaning is carried in words', () => {
    const coloured: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, where));
      if (!node || typeof node !== 'object') return;
      const record = node as Record<string, unknown>;
      if ('color' in record) coloured.push(`${where}: ${JSON.stringify(record.text ?? record)}`);
      Object.values(record).forEach((v) => walk(v, where));
    };
    for (const { id, card } of cases) walk(card, id);
    expect(coloured).toEqual([]);
  });

  describe.each(THEMES)('on %s', (theme) => {
    it.each(cases.map((c) => [c.id, c.card] as const))(
      'when %s is drawn, then every text is readable and every input has a name',
      async (id, card) => {
        const { violations, incomplete } = await drawAndCheck(page, theme, card);
        await page
          .locator('#host')
          .screenshot({ path: path.join(SCREENSHOTS, theme, `${slug(id)}.png`) });
        expect(readable(violations)).toEqual([]);
        // axe could not tell (e.g. text over something it cannot measure): a person must look.
        expect(readable(incomplete)).toEqual([]);
      },
    );
  });
});
