// `import compiled from './x.wasm?module'` (how Vercel's edge functions take WebAssembly, compiled by the
// platform) for Node: module hooks for the dev runner, CLIs and benches (registered by ./register.mjs),
// and a Vite plugin for vitest. Both answer a module whose default export is the compiled module.
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SUFFIX = '.wasm?module';

/** The module text for a `.wasm` file's URL. */
const moduleSource = (fileUrl) =>
  `import { readFileSync } from 'node:fs';\nexport default new WebAssembly.Module(readFileSync(new URL(${JSON.stringify(fileUrl)})));\n`;

/** Node resolve hook. */
export async function resolve(specifier, context, nextResolve) {
  if (!specifier.endsWith(SUFFIX)) return nextResolve(specifier, context);
  return { url: new URL(specifier, context.parentURL).href, shortCircuit: true };
}

/** Node load hook. */
export async function load(url, context, nextLoad) {
  if (!url.endsWith(SUFFIX)) return nextLoad(url, context);
  const file = url.slice(0, -'?module'.length);
  return { format: 'module', source: moduleSource(file), shortCircuit: true };
}

/** Vite (vitest) plugin: the same module for each `.wasm?module` import. */
export function wasmModules() {
  const prefix = '\0wasm-module:';
  return {
    name: 'wasm-modules',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!source.endsWith(SUFFIX) || !importer) return undefined;
      return prefix + fileURLToPath(new URL(source.slice(0, -'?module'.length), pathToFileURL(importer)));
    },
    load(id) {
      if (!id.startsWith(prefix)) return undefined;
      const file = id.slice(prefix.length);
      readFileSync(file); // fail here, naming the file, if it is missing
      return moduleSource(pathToFileURL(file).href);
    },
  };
}
