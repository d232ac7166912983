/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev` serves the app on :5173 and hands every API path to the gateway of `./livestage up` (:8080), so the
// app talks to one origin as it does when the gateway serves it.
const gateway = process.env.LIVESTAGE_GATEWAY_URL ?? 'http://localhost:8080';
const proxied = ['/api', '/podcast', '/hls', '/openapi', '/asyncapi.yaml', '/schemas', '/web-config.json'];

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      ...Object.fromEntries(proxied.map((path) => [path, { target: gateway, changeOrigin: false }])),
      '/ws': { target: gateway, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
