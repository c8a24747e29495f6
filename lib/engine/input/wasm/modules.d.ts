/** A `.wasm` file imported as a compiled module (Vercel's edge functions; the dev runner, vitest and the workerd bundles load it alike). */
declare module '*.wasm?module' {
  const compiled: WebAssembly.Module;
  export default compiled;
}
