// `node --import ./tools/wasm/register.mjs script.ts`: `.wasm?module` imports (./modules.mjs), then tsx.
// tsx registers last, so its resolver runs first and hands these specifiers on.
import { register } from 'node:module';

register('./modules.mjs', import.meta.url);
await import('tsx');
