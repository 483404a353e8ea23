// Integration tier: mocha inside a real VS Code extension host.
// - With a VS Code binary (VSCODE_EXECUTABLE, or `code` on PATH): @vscode/test-electron, as upstream intends.
// - Otherwise (these offline machines): code-server 4.100.3 with extensionDevelopmentPath + extensionTestsPath in the
//   workbench URL payload, driven by chromium; the workbench reports the exit code through codeAutomationExit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { launchBrowser, remoteUri, startCodeServer } from '../harness/workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const testsEntry = path.join(root, 'out/integration/index.js');
const summaryFile = path.join(root, 'out/integration-summary.json');
const state = fs.mkdtempSync(path.join(os.tmpdir(), 'operando-xrd-int-'));
const workspace = path.join(state, 'workspace');
fs.cpSync(path.join(root, 'test/integration/workspace'), workspace, { recursive: true });
const resultsFile = path.join(state, 'results.json');
const env = { OPERANDO_XRD_TEST_RESULTS: resultsFile };

function finish(code) {
  let r = { passed: 0, failed: 1 };
  if (fs.existsSync(resultsFile)) r = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const f of r.failures ?? []) console.log(`FAIL - ${f.title}\n${f.error}`);
  if (code !== 0 && !r.failed) r.failed = 1;
  fs.writeFileSync(summaryFile, JSON.stringify({ passed: r.passed, failed: r.failed }));
  console.log(`integration: ${r.passed} passed, ${r.failed} failed`);
  process.exit(r.failed ? 1 : 0);
}

const codeOnPath = spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8' }).stdout.trim();
const vscodeExecutable = process.env.VSCODE_EXECUTABLE || codeOnPath;
if (vscodeExecutable) {
  const { runTests } = await import('@vscode/test-electron');
  Object.assign(process.env, env);
  let code = 0;
  try {
    await runTests({
      vscodeExecutablePath: vscodeExecutable,
      extensionDevelopmentPath: root,
      extensionTestsPath: testsEntry,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    });
  } catch (e) {
    console.error(e);
    code = 1;
  }
  finish(code);
} else {
  const server = await startCodeServer({ stateDir: state, env });
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server.port, root)],
    ['extensionTestsPath', remoteUri(server.port, testsEntry)],
  ];
  const url = `${server.origin}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await launchBrowser(path.join(state, 'chromium'));
  const page = browser.pages()[0] ?? (await browser.newPage());
  let exited;
  const done = new Promise((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  page.on('console', (m) => {
    const t = m.text();
    const hit = /OPERANDO_XRD_TEST (.*?)( color: .*)?$/.exec(t.replace(/%c/g, ''));
    if (hit) console.log(hit[1]);
  });
  const t0 = Date.now();
  await page.goto(url);
  const timeoutMs = Number(process.env.INTEGRATION_TIMEOUT_MS || 300000);
  const code = await Promise.race([done, new Promise((r) => setTimeout(() => r('timeout'), timeoutMs))]);
  console.log(`# extension host exited with ${code} after ${Date.now() - t0} ms`);
  await browser.close().catch(() => {});
  server.stop();
  finish(code === 0 ? 0 : 1);
}
