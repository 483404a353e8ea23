// The import fences of docs/architecture: src/core is pure (no vscode, no node:*, no DOM) and data flows one way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const repo = process.cwd();

function sources(dir: string): string[] {
  const abs = path.join(repo, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** Module specifiers imported (statically, dynamically or by require) by a source text. */
export function importsOf(text: string): string[] {
  const out: string[] = [];
  const re = /(?:^|[^\w.])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[^\w.])import\s*\(\s*['"]([^'"]+)['"]\s*\)|(?:^|[^\w.])import\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

const NODE_BUILTINS = ['fs', 'path', 'os', 'url', 'util', 'vm', 'worker_threads', 'child_process', 'crypto', 'stream', 'events', 'module', 'buffer', 'zlib'];
const DOM_GLOBALS = /\b(document|window|navigator|localStorage|HTMLElement|HTMLCanvasElement|requestAnimationFrame)\b\s*[.(]/;

/** Violations of the pure-core rule in one file's text (imports, node built-ins, DOM globals, Buffer). */
export function coreViolations(file: string, text: string): string[] {
  const problems: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const spec of importsOf(code)) {
    if (spec === 'vscode') problems.push(`${file} imports vscode`);
    else if (spec.startsWith('node:') || NODE_BUILTINS.includes(spec)) problems.push(`${file} imports ${spec}`);
    else if (spec.startsWith('.')) {
      const target = path.normalize(path.join(path.dirname(file), spec));
      if (!target.startsWith(path.normalize('src/core'))) problems.push(`${file} imports ${spec} from outside src/core`);
    }
  }
  if (DOM_GLOBALS.test(code)) problems.push(`${file} uses a DOM global`);
  if (/\bBuffer\./.test(code) || /\bprocess\./.test(code)) problems.push(`${file} uses a Node global`);
  return problems;
}

test('the checker catches vscode, node:*, DOM and outside imports in a core file (it can fail)', () => {
  const bad = [
    "import * as vscode from 'vscode';",
    "import fs from 'node:fs';",
    "const p = require('path');",
    "import { x } from '../../extension/kernel.ts';",
    'document.createElement("div");',
    'const b = Buffer.from([1]);',
  ].join('\n');
  const found = coreViolations('src/core/io/bad.ts', bad);
  assert.equal(found.length, 6, found.join('\n'));
  assert.deepEqual(coreViolations('src/core/io/good.ts', "import { ParseError } from './parseError.ts';\n// document.title in a comment is fine"), []);
});

test('src/core imports nothing but src/core, and no vscode, node:* or DOM', () => {
  const problems = sources('src/core').flatMap((f) => coreViolations(f, fs.readFileSync(path.join(repo, f), 'utf8')));
  assert.deepEqual(problems, []);
});

test('only src/extension imports vscode', () => {
  const offenders = ['src/core', 'src/protocol', 'src/worker', 'src/cli', 'renderers', 'media']
    .flatMap(sources)
    .filter((f) => importsOf(fs.readFileSync(path.join(repo, f), 'utf8')).includes('vscode'));
  assert.deepEqual(offenders, []);
});

test('src/protocol imports only types, and only from core and protocol', () => {
  for (const f of sources('src/protocol')) {
    const text = fs.readFileSync(path.join(repo, f), 'utf8');
    for (const line of text.split('\n').filter((l) => /^\s*import\s/.test(l))) {
      assert.match(line, /^\s*import\s+type\s/, `${f}: ${line}`);
      assert.doesNotMatch(line, /(extension|worker|cli)\//, `${f}: ${line}`);
    }
  }
});

test('renderers and media never import the extension host, the worker or node', () => {
  for (const f of [...sources('renderers'), ...sources('media')]) {
    for (const spec of importsOf(fs.readFileSync(path.join(repo, f), 'utf8'))) {
      assert.ok(!/src\/(extension|worker|cli)\//.test(spec) && !spec.startsWith('node:'), `${f} imports ${spec}`);
    }
  }
});
