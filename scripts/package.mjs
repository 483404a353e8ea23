// `npm run package`: production bundles, then a .vsix with @vscode/vsce (everything is bundled, so --no-dependencies;
// .vscodeignore is an allow-list). vsce never packs node_modules in that mode, but tsserver only finds plugins
// there, so the TypeScript server plugin is added to the archive afterwards at extension/node_modules/<name>.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { unzipSync, zipSync } from 'fflate';

const VSIX = 'operando-xrd.vsix';
const PLUGIN = 'node_modules/operando-xrd-ts-plugin';
const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step(process.execPath, ['esbuild.mjs', '--production']);
step(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', VSIX]);
const entries = unzipSync(new Uint8Array(fs.readFileSync(VSIX)));
for (const f of ['package.json', 'index.js']) entries[`extension/${PLUGIN}/${f}`] = new Uint8Array(fs.readFileSync(`${PLUGIN}/${f}`));
fs.writeFileSync(VSIX, zipSync(entries, { level: 9 }));
console.log(`${VSIX}: ${(fs.statSync(VSIX).size / 1e6).toFixed(2)} MB, with ${PLUGIN}`);
