// `npm run package`: production bundles, then a .vsix with @vscode/vsce (everything is bundled, so --no-dependencies;
// .vscodeignore is an allow-list).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const step = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
step(process.execPath, ['esbuild.mjs', '--production']);
step(process.execPath, ['node_modules/@vscode/vsce/vsce', 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', 'operando-xrd.vsix']);
console.log(`operando-xrd.vsix: ${(fs.statSync('operando-xrd.vsix').size / 1e6).toFixed(2)} MB`);
