import { defineConfig } from 'vitest/config';
import { wasmModules } from './tools/wasm/modules.mjs';

export default defineConfig({
  plugins: [wasmModules()],
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
