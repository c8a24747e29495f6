// The one part of fflate the engine uses, as a module of its own: imported on the first workbook
// (lib/engine/input/workbook.ts), so the bundle keeps only what unzipping needs.
export { unzipSync } from 'fflate';
