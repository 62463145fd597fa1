#!/usr/bin/env node
/**
 * Import cycles, part of `npm run lint`:
 *  - apps/api/src: no cycle between its top-level folders (a folder is one node;
 *    `alerts -> config -> alerts` fails, and so does any longer loop);
 *  - libs/shared/src and apps/web/src/app: no cycle between files.
 * Relative imports only (`import ... from`, `export ... from`, `import '...'`;
 * type-only imports count too: they are a dependency of the design). Tests
 * (*.spec.ts) are left out. Prints each cycle (its members and the imports between
 * them) and exits 1 if there is one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const repo = resolve(import.meta.dirname, '..');

/** `from '...'` of import/export statements, and bare `import '...'`. */
const IMPORT = /(?:\bfrom\s+|\bimport\s+)['"](\.{1,2}\/[^'"]*)['"]/g;

function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts') && !path.endsWith('.d.ts')) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}

/** The file an import names: `x` as x.ts, or x/index.ts. */
function resolveImport(from, specifier) {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
  const targets = [];
  for (const match of text.matchAll(IMPORT)) {
    const target = resolveImport(file, match[1]);
    if (target) targets.push(target);
  }
  return targets;
}

/** node -> set of nodes, from every file's imports mapped through `nodeOf` (undefined: outside the graph). */
function graphOf(root, nodeOf) {
  const edges = new Map();
  /** `from\0to` -> the first import that makes the edge, as "file imports file". */
  const examples = new Map();
  for (const file of sourceFiles(root)) {
    const from = nodeOf(file);
    if (from === undefined) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const target of importsOf(file)) {
      const to = nodeOf(target);
      if (to === undefined || to === from) continue;
      edges.get(from).add(to);
      const key = `${from}\0${to}`;
      if (!examples.has(key)) examples.set(key, `${relative(root, file)} imports ${relative(root, target)}`);
    }
  }
  return { edges, examples };
}

/** Strongly connected components with more than one node (Tarjan): each is at least one cycle. */
function cyclicComponents(edges) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index);
    index += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!indices.has(node)) visit(node);
  return components;
}

/** Each cycle as its members and the imports between them (one example file per edge: what to cut). */
function describeCycles(edges, examples, components) {
  return components.map((component) => {
    const members = new Set(component);
    const inner = [];
    for (const from of component) {
      for (const to of [...(edges.get(from) ?? [])].sort()) {
        if (!members.has(to)) continue;
        const arrow = edges.get(to)?.has(from) ? '<->' : '->';
        inner.push(`    ${from} ${arrow} ${to}  (${examples.get(`${from}\0${to}`)})`);
      }
    }
    return `${component.join(', ')}\n${inner.join('\n')}`;
  });
}

const checks = [
  {
    name: 'apps/api/src folders',
    root: 'apps/api/src',
    node: (root) => (file) => {
      const path = relative(root, file);
      if (path.startsWith('..')) return undefined;
      // Files directly in src (main.ts, app.module.ts) sit above every folder.
      return path.includes(sep) ? path.split(sep)[0] : undefined;
    },
  },
  { name: 'libs/shared/src files', root: 'libs/shared/src', node: (root) => (file) => inside(root, file) },
  { name: 'apps/web/src/app files', root: 'apps/web/src/app', node: (root) => (file) => inside(root, file) },
];

function inside(root, file) {
  const path = relative(root, file);
  return path.startsWith('..') ? undefined : path;
}

let failed = 0;
for (const check of checks) {
  const root = join(repo, check.root);
  const { edges, examples } = graphOf(root, check.node(root));
  const cycles = describeCycles(edges, examples, cyclicComponents(edges));
  for (const cycle of cycles) console.error(`CYCLE in ${check.name}: ${cycle}`);
  failed += cycles.length;
}
if (failed > 0) {
  console.error(`check-folder-graph: ${failed} import cycle(s); cut one edge of each (see the README's layout section)`);
  process.exit(1);
}
console.log('check-folder-graph: no import cycles in apps/api/src (folders), libs/shared/src or apps/web/src/app (files)');
