// Import cycles under a source folder: file-level (strongly connected components of the
// relative imports, specs left out unless --specs) and folder-level (two folders importing
// each other; a folder is features/<name> or a top-level folder). Prints one CYCLE line
// each and exits 1 if there is any.
// Usage: node scripts/import-cycles.mjs apps/web/src/app [--specs]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'apps/web/src/app');
const withSpecs = process.argv.includes('--specs');

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && (withSpecs || !path.endsWith('.spec.ts'))) files.push(path);
  }
})(root);

/** file -> the files it imports (relative imports that resolve to a .ts file or a folder's index.ts). */
const graph = new Map();
for (const file of files) {
  const targets = [];
  for (const match of readFileSync(file, 'utf8').matchAll(/(?:from\s+|import\(\s*)'(\.[^']+)'/g)) {
    const base = resolve(dirname(file), match[1]);
    if (existsSync(`${base}.ts`)) targets.push(`${base}.ts`);
    else if (existsSync(join(base, 'index.ts'))) targets.push(join(base, 'index.ts'));
  }
  graph.set(file, targets);
}

// Tarjan's strongly connected components.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
function visit(node) {
  index.set(node, counter);
  low.set(node, counter);
  counter++;
  stack.push(node);
  onStack.add(node);
  for (const next of graph.get(node) ?? []) {
    if (!index.has(next)) {
      visit(next);
      low.set(node, Math.min(low.get(node), low.get(next)));
    } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
  }
  if (low.get(node) !== index.get(node)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(member);
  } while (member !== node);
  if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component);
}
for (const node of graph.keys()) if (!index.has(node)) visit(node);

let found = 0;
for (const component of cycles) {
  console.log('CYCLE files', component.map((file) => relative(root, file)).join(' <-> '));
  found++;
}

const folderOf = (file) => {
  const parts = relative(root, file).split('/');
  if (parts[0] === 'features') return parts.slice(0, 2).join('/');
  return parts.length > 1 ? parts[0] : '.';
};
const folderEdges = new Set();
for (const [file, targets] of graph) {
  for (const target of targets) if (folderOf(file) !== folderOf(target)) folderEdges.add(`${folderOf(file)} -> ${folderOf(target)}`);
}
for (const edge of folderEdges) {
  const [from, to] = edge.split(' -> ');
  if (from < to && folderEdges.has(`${to} -> ${from}`)) {
    console.log('CYCLE folders', from, '<->', to);
    found++;
  }
}
if (found === 0) console.log(`no import cycle in ${relative(process.cwd(), root) || '.'} (${files.length} files)`);
process.exitCode = found === 0 ? 0 : 1;
