import { defineConfig } from 'vite';

// Run from the repository root (npm run build:ui): the console is served by the API at /ui.
export default defineConfig({
  root: 'web',
  base: '/ui/',
  build: { outDir: '../dist/ui', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
