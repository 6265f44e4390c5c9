import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The built SPA is served by the Fastify server from dist/web under a CSP with script-src 'self',
// so the output must hold only external module scripts (Vite's default for an SPA).
export default defineConfig({
  root: 'app',
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    // No inline module-preload polyfill: it would be an inline script refused by the CSP.
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
});
