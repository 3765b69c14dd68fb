// Builds one of the two web apps (`--mode console` or `--mode hub`) into dist/web/<app>, served by the control process.
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const APPS = ['console', 'hub'];

export default defineConfig(({ mode }) => {
  if (!APPS.includes(mode)) throw new Error(`Build one app at a time: vite build --config web/vite.config.ts --mode console|hub (got "${mode}").`);
  const root = fileURLToPath(new URL(`./${mode}`, import.meta.url));
  return {
    root,
    base: '/',
    plugins: [react()],
    // Type-only imports of the server's wire types (src/model) are erased; nothing else crosses over.
    build: {
      outDir: fileURLToPath(new URL(`../dist/web/${mode}`, import.meta.url)),
      emptyOutDir: true,
      chunkSizeWarningLimit: 1500,
      sourcemap: true,
    },
    // `npm run dev:console` / `dev:hub`: Vite's dev server, forwarding the JSON API to a running `gatehouse start`.
    server: {
      proxy: { '/api': mode === 'console' ? 'http://127.0.0.1:8081' : 'http://127.0.0.1:8082' },
    },
  };
});
