/**
 * Turn a TypeScript notebook cell into JavaScript that runs in a persistent `vm` context:
 * sucrase strips types and rewrites `import` into `require`, then a top-level rewrite makes declarations
 * survive across cells (and re-runs) and allows top-level `await`:
 * - `const/let/var` declarations become assignments to names pre-declared on the context's global object
 *   (so a re-run does not throw "already declared"; a consequence is that a cell's `const` is re-assignable);
 * - `class C {}` becomes `C = class C {}`; function declarations stay hoisted and are copied to the global;
 * - the last expression statement becomes the cell's value;
 * - the whole cell is wrapped in an async arrow function on the same first line, so line numbers are kept.
 */
import { transform } from 'sucrase';
import { parse } from 'acorn';

/** A transpiled cell: `code` evaluates to a Promise of the cell's value. */
export interface TranspiledCell {
  readonly code: string;
  /** Names the cell declares at top level. */
  readonly declared: readonly string[];
}

interface Node {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

/** Names bound by a destructuring pattern. */
function patternNames(node: Node, out: string[]): void {
  switch (node.type) {
    case 'Identifier':
      out.push(node.name as string);
      break;
    case 'ObjectPattern':
      for (const p of node.properties as Node[]) patternNames(p.type === 'RestElement' ? (p.argument as Node) : (p.value as Node), out);
      break;
    case 'ArrayPattern':
      for (const e of node.elements as (Node | null)[]) if (e) patternNames(e, out);
      break;
    case 'RestElement':
      patternNames(node.argument as Node, out);
      break;
    case 'AssignmentPattern':
      patternNames(node.left as Node, out);
      break;
  }
}

/** Transpile one cell. Throws a SyntaxError with the cell's own line and column on bad syntax. */
export function transpileCell(source: string, language: 'typescript' | 'javascript' = 'typescript'): TranspiledCell {
  const js = transform(source, {
    transforms: language === 'typescript' ? ['typescript', 'imports'] : ['imports'],
    disableESTransforms: true,
    keepUnusedImports: false,
  }).code;
  const program = parse(js, {
    ecmaVersion: 'latest',
    sourceType: 'script',
    allowAwaitOutsideFunction: true,
    allowReturnOutsideFunction: true,
    allowHashBang: true,
  }) as unknown as { body: Node[] };

  const edits: { start: number; end: number; text: string }[] = [];
  const declared: string[] = [];
  const functions: string[] = [];
  const body = program.body;
  body.forEach((stmt, index) => {
    if (stmt.type === 'VariableDeclaration') {
      const parts: string[] = [];
      for (const decl of stmt.declarations as Node[]) {
        const id = decl.id as Node;
        patternNames(id, declared);
        const target = js.slice(id.start, id.end);
        const init = decl.init as Node | null;
        if (init) parts.push(`(${target} = ${js.slice(init.start, init.end)})`);
        else if (stmt.kind !== 'var') parts.push(`(${target} = undefined)`);
      }
      // Keep the statement's newlines so later line numbers do not move.
      const original = js.slice(stmt.start, stmt.end);
      const newlines = original.split('\n').length - 1;
      edits.push({ start: stmt.start, end: stmt.end, text: (parts.join(', ') || 'void 0') + ';' + '\n'.repeat(Math.max(0, newlines - (parts.join(', ').split('\n').length - 1))) });
    } else if (stmt.type === 'ClassDeclaration') {
      const name = (stmt.id as Node).name as string;
      declared.push(name);
      edits.push({ start: stmt.start, end: stmt.start, text: `${name} = ` });
      edits.push({ start: stmt.end, end: stmt.end, text: ';' });
    } else if (stmt.type === 'FunctionDeclaration') {
      const name = (stmt.id as Node).name as string;
      declared.push(name);
      functions.push(name);
    } else if (stmt.type === 'ExpressionStatement' && index === body.length - 1) {
      const expr = stmt.expression as Node;
      edits.push({ start: stmt.start, end: expr.start, text: 'return (' });
      edits.push({ start: expr.end, end: stmt.end, text: ');' });
    }
  });

  let code = js;
  for (const e of edits.sort((x, y) => y.start - x.start)) code = code.slice(0, e.start) + e.text + code.slice(e.end);
  const unique = [...new Set(declared)];
  const predeclare = unique.map((n) => `if (!(${JSON.stringify(n)} in globalThis)) globalThis[${JSON.stringify(n)}] = undefined;`).join(' ');
  const exportFunctions = functions.map((n) => `globalThis[${JSON.stringify(n)}] = ${n};`).join(' ');
  // Everything added stays on the first line: stack traces then give the cell's own line numbers.
  code = `${predeclare} (async () => { ${exportFunctions} ${code.replace(/^"use strict";/, '')}\n})()`;
  return { code, declared: unique };
}
