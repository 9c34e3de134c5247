import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the API runs on :4000 (npm run dev at the root starts both);
// Vite proxies /graphql — including the graphql-ws upgrade — and /health to it.
const apiTarget = process.env.PARLEY_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [react()],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: {
      '/graphql': { target: apiTarget, ws: true, changeOrigin: true },
      '/health': { target: apiTarget, changeOrigin: true },
    },
  },
  // Source maps are written for our own debugging but not referenced from the bundle, and the API does not serve
  // them (api/src/http/static.ts): the public gets the minified app only.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden' },
});
