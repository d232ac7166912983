import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Library build of @livestage/client: one ES module, openapi-fetch left to the consumer's bundler/npm.
export default defineConfig({
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    lib: {
      entry: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      formats: ['es'],
      fileName: () => 'index.js',
    },
    rollupOptions: { external: ['openapi-fetch'] },
    minify: false,
    sourcemap: false,
  },
});
