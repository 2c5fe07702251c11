// The finance portal's web UI: built into the portal app's build (dist/apps/experience-portal/web),
// which serves it at `/`. `npm run build` runs this after the apps are built.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../../dist/apps/experience-portal/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  // React's automatic JSX runtime (no plugin needed for a production build).
  oxc: { jsx: { runtime: 'automatic' } },
});
