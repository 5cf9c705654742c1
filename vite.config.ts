import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

/**
 * Renderer build. `base: './'` so the same bundle works from file:// / app:// in Electron and
 * under `/ui/` on the headless server. `npm run dev` serves it with the HTTP bridge against a
 * running `serve` (set SWITCHYARD_URL to proxy /v0 to it).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./src-renderer', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: process.env.SWITCHYARD_URL ? { '/v0': { target: process.env.SWITCHYARD_URL, changeOrigin: false } } : undefined,
  },
});
