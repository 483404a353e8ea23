// Shared plumbing for the integration and e2e tiers: a real VS Code (code-server 4.100.3 = VS Code 1.100.3 with a
// Node extension host) installed from npm into a cache outside the clone, Debian's chromium driven by playwright-core.
// Everything is installed on first use and reused afterwards.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { createRequire } from 'node:module';

export const CODE_SERVER_VERSION = '4.100.3';
export const cacheDir = process.env.OPERANDO_XRD_CACHE || path.join(os.homedir(), '.cache', 'operando-xrd');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerBin = path.join(codeServerDir, 'node_modules', '.bin', 'code-server');

const log = (s) => console.log(`# ${s}`);

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages the tiers need: chromium (browser), ripgrep (code-server's search), libkrb5-dev + pkg-config (kerberos build). */
export function ensureSystemPackages() {
  const missing = [];
  if (!fs.existsSync(chromiumPath)) missing.push('chromium');
  if (!have('rg')) missing.push('ripgrep');
  if (!fs.existsSync('/usr/include/krb5.h') && !fs.existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  if (!have('pkg-config')) missing.push('pkg-config');
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages (${missing.join(' ')}): install them with apt-get`);
  log(`installing Debian packages: ${missing.join(' ')}`);
  execFileSync('apt-get', ['update'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit' });
}

/**
 * npm install of code-server with the three workarounds this offline machine needs:
 * 1. as root its postinstall refuses to run unless npm_config_unsafe_perm=true;
 * 2. node-pty runs `npx node-gyp`, refused when npm's `yes` is false, so npm_config_yes=true;
 * 3. @vscode/ripgrep downloads rg from GitHub unless its cache already holds the tarball: seed it with Debian's rg.
 */
export function ensureCodeServer() {
  if (fs.existsSync(codeServerBin)) return codeServerBin;
  ensureSystemPackages();
  const t0 = Date.now();
  fs.mkdirSync(codeServerDir, { recursive: true });
  fs.writeFileSync(path.join(codeServerDir, 'package.json'), '{"name":"operando-xrd-code-server","private":true}\n');
  const tmp = path.join(codeServerDir, '.tmp');
  const rgCache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
  const rgDir = path.join(tmp, 'rg');
  fs.mkdirSync(rgCache, { recursive: true });
  fs.mkdirSync(rgDir, { recursive: true });
  const rg = execFileSync('sh', ['-c', 'command -v rg']).toString().trim();
  fs.copyFileSync(rg, path.join(rgDir, 'rg'));
  fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
  execFileSync('tar', ['czf', path.join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', rgDir, 'rg']);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (about a minute, once)`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, TMPDIR: tmp, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' },
  });
  if (r.status !== 0 || !fs.existsSync(codeServerBin)) {
    fs.rmSync(path.join(codeServerDir, 'node_modules'), { recursive: true, force: true });
    throw new Error(`code-server install failed (exit ${r.status})`);
  }
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return codeServerBin;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Quiet, offline user settings: no welcome page, no marketplace or update checks. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'workbench.colorTheme': 'Default Light Modern',
};

/**
 * Start code-server on loopback with private state (config, data, extensions) under `stateDir`.
 * Environment variables in `env` reach the extension host.
 */
export async function startCodeServer({ stateDir, env = {}, extraArgs = [] }) {
  ensureCodeServer();
  const port = await freePort();
  for (const d of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data']) fs.mkdirSync(path.join(stateDir, d), { recursive: true });
  fs.writeFileSync(path.join(stateDir, 'config.yaml'), '');
  const settingsFile = path.join(stateDir, 'user-data/User/settings.json');
  if (!fs.existsSync(settingsFile)) fs.writeFileSync(settingsFile, JSON.stringify(USER_SETTINGS, null, 2));
  const logFd = fs.openSync(path.join(stateDir, 'server.log'), 'a');
  const child = spawn(
    codeServerBin,
    [
      '--config', path.join(stateDir, 'config.yaml'),
      '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--disable-proxy', '--ignore-last-opened',
      '--user-data-dir', path.join(stateDir, 'user-data'),
      '--extensions-dir', path.join(stateDir, 'extensions'),
      ...extraArgs,
    ],
    {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: {
        ...process.env,
        XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
        XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
        // Each run's own cache of sequential results: used, but never shared with another run.
        OPERANDO_XRD_RESULTS_CACHE: path.join(stateDir, 'results-cache'),
        ...env,
      },
    },
  );
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', stop);
  const t0 = Date.now();
  while (Date.now() - t0 < 60000) {
    if (child.exitCode !== null) throw new Error(`code-server exited: ${fs.readFileSync(path.join(stateDir, 'server.log'), 'utf8').slice(-2000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return { port, stop, origin: `http://127.0.0.1:${port}` };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  stop();
  throw new Error('code-server did not answer /healthz within 60 s');
}

/** Install a packaged .vsix into the state's extensions dir with code-server's own CLI. */
export function installVsix(stateDir, vsix) {
  ensureCodeServer();
  execFileSync(
    codeServerBin,
    ['--config', path.join(stateDir, 'config.yaml'), '--user-data-dir', path.join(stateDir, 'user-data'), '--extensions-dir', path.join(stateDir, 'extensions'), '--install-extension', vsix],
    { stdio: 'inherit', env: { ...process.env, XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'), XDG_DATA_HOME: path.join(stateDir, 'xdg-data') } },
  );
}

export async function launchBrowser(profileDir) {
  ensureSystemPackages();
  const require = createRequire(import.meta.url);
  const { chromium } = require('playwright-core');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A `vscode-remote://` URI for a path on this machine, as the workbench at `port` sees it. */
export const remoteUri = (port, p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
