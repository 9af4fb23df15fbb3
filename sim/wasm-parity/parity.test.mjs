// The same scenario, seed and commands give the same report on wasm32 as on
// native (x86_64): floating point, hashing and integer widths must not make
// the two builds drift apart. Both binaries are built by scripts/wasm-parity.
//
// NATIVE_CLI and WASM_CLI name the two builds of `infraboard-sim`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const native = process.env.NATIVE_CLI;
const wasm = process.env.WASM_CLI;
const runner = fileURLToPath(new URL('./wasi-run.mjs', import.meta.url));

function report(cmd, args) {
    const out = execFileSync(cmd[0], [...cmd.slice(1), ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 64 << 20,
    });
    const json = JSON.parse(out);
    delete json.wall_ms; // the only field allowed to differ
    return json;
}

const presets = execFileSync(native, ['presets'], { encoding: 'utf8' }).trim().split('\n');

const cases = [
    ['--seed', '1', '--duration', '20s'],
    ['--seed', '7', '--duration', '40s', '--at', '10s=kill:primary-db', '--at', '25s=promote:replica-db'],
    ['--seed', '99', '--duration', '20s', '--at', '2s=rate:2000', '--at', '5s=tls:reencrypt', '--at', '8s=attack:50:3306'],
];

for (const preset of presets) {
    for (const args of cases) {
        test(`${preset} ${args.join(' ')}: wasm32 report equals native`, () => {
            const full = ['run', '--preset', preset, ...args];
            const a = report([native], full);
            const b = report([process.execPath, '--no-warnings', runner, wasm], full);
            assert.ok(a.requests > 0, 'the run sent requests');
            assert.deepEqual(b, a);
        });
    }
}
