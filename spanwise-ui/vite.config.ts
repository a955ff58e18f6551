/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev` proxies the APIs to a running Spanwise (SPANWISE_URL, default the all-in-one's
// query port), so the app is developed against real data.
const backend = process.env.SPANWISE_URL ?? 'http://localhost:16686';

export default defineConfig({
  plugins: [react()],
  build: {
    // Maven packages this directory into the jar under dev/spanwise/ui/static.
    outDir: 'target/ui-dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    // The CSP forbids inline scripts: never inline the module preload polyfill.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': backend,
      '/health': backend,
      '/ready': backend,
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
  },
});
