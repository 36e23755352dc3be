// @ts-check
/**
 * The layers of src/, checked by `npm run depcruise` (part of `npm run check` and CI). Type-only
 * imports count too: a cycle of types is still two rooms that cannot be read one without the other.
 *
 *   composition   main.ts, app.ts, app-services.ts, config.ts, server.ts, cli/, dev/, demo/
 *   edges         bot/, tab/, graph/, teams-package/   (translate Teams, HTTP, Graph, packaging)
 *   features      incidents/, actions/, alerts/, chronology/, access/, audit/, files/, ...
 *   lower rooms   shared/, store/, events/, clocks/, encryption/
 *
 * Each layer imports only the layers below it; nothing in src/ imports test/ or bench/.
 */

/** Folders under src/ that are features: their rules live here, they see no transport. */
const FEATURES = [
  'access',
  'adult-concerns',
  'actions',
  'alerts',
  'audit',
  'chronology',
  'conversations',
  'desk',
  'directory-import',
  'files',
  'incidents',
  'patterns',
  'pupil-status',
  'pupils',
  'reports',
  'retention',
  'reviews',
  'sar',
  'schools',
  'sharing',
  'staff',
  'step-up',
  'summaries',
  'transfers',
];
const LOWER_ROOMS = ['shared', 'store', 'events', 'clocks', 'encryption'];
const EDGES = ['bot', 'tab', 'graph', 'teams-package'];

const folders = (/** @type {string[]} */ names) => `^src/(${names.join('|')})/`;
const COMPOSITION = '^src/(main|app|app-services|config|server)[.]ts$|^src/(cli|dev|demo)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Two files that import each other (even through others) are one room; split them.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'features-not-upward',
      severity: 'error',
      comment:
        'A feature receives what it needs through its module; it never reaches for the ' +
        'composition (app-services, app, main, config, the CLIs) or the bot/tab/graph edges.',
      from: { path: folders(FEATURES) },
      to: { path: [COMPOSITION, folders(EDGES)] },
    },
    {
      name: 'lower-rooms-not-upward',
      severity: 'error',
      comment:
        'shared, store, events, clocks and encryption are below every feature: they import ' +
        'only one another.',
      from: { path: folders(LOWER_ROOMS) },
      to: { path: [folders(FEATURES), COMPOSITION, folders(EDGES)] },
    },
    {
      name: 'edges-not-composition',
      severity: 'error',
      comment:
        'The bot, tab, graph and packaging layers are given their services; they never build ' +
        'the graph (app-services, app, main) nor call a CLI.',
      from: { path: folders(EDGES) },
      to: { path: '^src/(main|app|app-services)[.]ts$|^src/(cli|dev|demo)/' },
    },
    {
      name: 'modules-only-from-composition',
      severity: 'error',
      comment:
        "A feature's module (<feature>.module.ts) is composed by app-services.ts; other " +
        'features use what it returns, through their constructors.',
      from: { path: folders(FEATURES) },
      to: { path: '[.]module[.]ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'adult-concerns-kept-apart',
      severity: 'error',
      comment:
        'Concerns about adults are kept apart from pupils (issue 17): no other feature, and no ' +
        'bot or tab code but their own edges, may import them. Only the composition root and ' +
        'src/bot/adult-concerns/ and src/tab/adult-concerns/ reach src/adult-concerns/.',
      from: {
        pathNot: [
          '^src/adult-concerns/',
          '^src/bot/adult-concerns/',
          '^src/tab/adult-concerns/',
          '^src/app-services[.]ts$',
          '^src/(cli|dev|demo)/',
        ],
      },
      to: { path: '^src/adult-concerns/' },
    },
    {
      name: 'cli-is-an-entry',
      severity: 'error',
      comment: 'src/cli/ holds command-line entries: only they import one another (run-cli).',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'src-not-tests',
      severity: 'error',
      comment: 'Shipped code never imports test helpers or benchmarks.',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|dist-bench|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
