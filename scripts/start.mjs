// `npm start`: build, then open examples/ with the extension in development mode — in VS Code desktop when `code`
// is on PATH, otherwise in code-server on 127.0.0.1 (installed on first use), printing the URL to open.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = path.join(root, 'examples');
if (spawnSync(process.execPath, ['esbuild.mjs', '--no-tests'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const code = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
if (code && !process.env.OPERANDO_XRD_USE_CODE_SERVER) {
  spawn(code, ['--extensionDevelopmentPath', root, examples], { stdio: 'inherit', detached: true }).unref();
  console.log(`Opened ${examples} in VS Code with the extension in development mode.`);
} else {
  const { startCodeServer, remoteUri } = await import('../test/harness/workbench.mjs');
  const state = path.join(process.env.OPERANDO_XRD_CACHE || path.join(os.homedir(), '.cache', 'operando-xrd'), 'start-state');
  fs.mkdirSync(state, { recursive: true });
  const server = await startCodeServer({ stateDir: state });
  const payload = JSON.stringify([['extensionDevelopmentPath', remoteUri(server.port, root)]]);
  const url = `${server.origin}/?folder=${encodeURIComponent(examples)}&payload=${encodeURIComponent(payload)}`;
  console.log(`\ncode-server (VS Code 1.100) with Operando XRD in development mode is running.\nOpen:\n\n  ${url}\n\nCtrl+C stops it.`);
  process.on('SIGINT', () => {
    server.stop();
    process.exit(0);
  });
  setInterval(() => {}, 1 << 30);
}
