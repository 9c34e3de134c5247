import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { graphqlDocuments } from './scripts/graphql-documents-plugin.mjs';

// In development the API runs on :4000 (npm run dev at the root starts both);
// Vite proxies /graphql — including the graphql-ws upgrade — and /health to it.
const apiTarget = process.env.PARLEY_API_URL ?? 'http://localhost:4000';

export default defineConfig({
  plugins: [
    // Build only: each graphql(`…`) call becomes an import of that one generated document, and each document is a
    // module of its own, so a chunk carries the documents it uses, not all of them
    // (scripts/graphql-documents-plugin.mjs).
    graphqlDocuments(),
    react(),
    // The service worker (dist/sw.js) and the web app manifest; registered by src/shared/serviceWorker.ts.
    VitePWA({
      injectRegister: false,
      registerType: 'autoUpdate',
      manifest: {
        name: 'parley',
        short_name: 'parley',
        description: 'parley — persistent real-time 1:1 chat',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f4f5fb',
        theme_color: '#4f46e5',
        icons: [
          { src: '/favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
          { src: '/icon-maskable.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The app shell: index.html and every built file (not source maps, not precompressed copies); the manifest
        // and its icons are added by the plugin.
        globPatterns: ['**/*.{js,css,html}'],
        // Client-side routes open the cached index.html, offline too; the API's own pages are never taken over.
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/graphql/, /^\/health/, /^\/ready/],
        // No runtimeCaching: GraphQL answers are never cached here (apollo/cachePersistence.ts keeps the data).
        skipWaiting: true,
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        sourcemap: false, // the API does not serve source maps
        // Web Push (issue #21): the push and notificationclick handlers, a classic script from public/.
        importScripts: ['sw-push.js'],
      },
    }),
    // A .gz and a .br next to every text file in dist (best levels), served as they are by the API
    // (api/src/http/static.ts): nothing is compressed per request.
    compression(),
  ],
  server: {
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: {
      '/graphql': { target: apiTarget, ws: true, changeOrigin: true },
      '/health': { target: apiTarget, changeOrigin: true },
      '/export': { target: apiTarget, changeOrigin: true },
    },
  },
  // Source maps are written for our own debugging but not referenced from the bundle, and the API does not serve
  // them (api/src/http/static.ts): the public gets the minified app only. The manifest (dist/.vite, never served)
  // says which chunks each route loads: scripts/bundle-size.mjs checks them against the budget.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: 'hidden', manifest: true },
});
