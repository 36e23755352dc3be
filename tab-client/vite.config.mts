import path from 'node:path';
import { defineConfig } from 'vite';

const here = import.meta.dirname;

/**
 * The tab client: static files only (no inline script, so the server's CSP holds), served by the
 * app at /tab/. Relative asset paths keep it working under that prefix.
 */
export default defineConfig({
  root: here,
  base: './',
  publicDir: false,
  build: {
    outDir: path.resolve(here, '..', 'dist', 'tab-client'),
    emptyOutDir: true,
    // Vite would inline small modules as data: URLs; the CSP allows only our own files.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Fluent UI marks modules "use client" for React Server Components; a tab has none.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
