// Runs a WASI build of `infraboard-sim` under Node's built-in WASI, passing
// the remaining arguments through: `node wasi-run.mjs CLI.wasm run --seed 1`.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [wasmPath, ...args] = process.argv.slice(2);
const wasi = new WASI({ version: 'preview1', args: ['infraboard-sim', ...args], env: {}, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(wasmPath));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
