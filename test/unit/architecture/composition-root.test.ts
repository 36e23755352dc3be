import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', '..', '..', 'src');

/** The composition: the only files that may import the service graph's builders. */
const COMPOSITION = new Set(['app.ts', 'app-services.ts']);
const GRAPH = path.join(SRC, 'app-services');

/**
 * The graph itself, or another feature's module (`src/<feature>/<feature>.module.ts`; a feature's
 * own index.ts exports its module for the composition root).
 */
const reachesForGraph = (file: string) => (target: string) =>
  target === GRAPH || (target.endsWith('.module') && path.dirname(target) !== path.dirname(file));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of a file, resolved to paths without their extension. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) =>
    path.join(path.dirname(file), (m[1] ?? '').replace(/\.(js|ts)$/, '')),
  );
}

describe('the composition root', () => {
  it('when a feature imports app-services.ts or a module (*.module.ts), then this test fails: features receive what they need, they do not reach for the graph', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !(path.dirname(file) === SRC && COMPOSITION.has(path.basename(file))))
      .filter((file) => relativeImports(file).some(reachesForGraph(file)))
      .map((file) => path.relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  it('when a file imports the service graph, then the check sees it (the check itself works)', () => {
    const imports = relativeImports(path.join(SRC, 'app.ts'));
    expect(imports).toContain(path.join(SRC, 'app-services'));
  });
});
