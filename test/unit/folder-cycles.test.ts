// No folder imports one that imports it back, directly or around a loop: the layers in
// docs/architecture.md ("Where each concern lives") stay layers. The graph is built from the
// source text, every import counted (type-only ones too). A folder stands for its whole subtree:
// a file in bot/channels/zalo-oa that imports bot/engine makes bot/channels import it too, so
// bot/engine may not import bot/channels/types.ts back. A folder and its own subfolders are one
// part (flows/router.ts uses flows/clubs, which uses flows/types.ts), so no edge joins them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tops = ['bot', 'flows', 'content'];
const importPattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' || entry.name === 'assets' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const ancestors = (folder: string): string[] =>
  folder.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
const within = (folder: string, outer: string) => folder === outer || folder.startsWith(`${outer}/`);

/** folder → the folders its subtree imports (relative imports only; packages are not ours). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of tops.flatMap(sourceFiles)) {
    const from = dirname(file);
    if (!graph.has(from)) graph.set(from, new Set());
    for (const match of readFileSync(join(root, file), 'utf8').matchAll(importPattern)) {
      const target = match[1] ?? match[2];
      if (!target?.startsWith('.')) continue;
      const to = dirname(normalize(join(from, target)));
      if (relative(root, join(root, to)).startsWith('..')) continue;
      // Every enclosing folder of one side that does not also enclose the other.
      for (const a of ancestors(from).filter((f) => !within(to, f)))
        for (const b of ancestors(to).filter((f) => !within(from, f))) {
          const out = graph.get(a) ?? new Set<string>();
          graph.set(a, out.add(b));
        }
    }
  }
  return graph;
}

/** Tarjan's strongly connected components with more than one folder: each one is a cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('folder imports', () => {
  it('finds the folders and their imports', () => {
    const graph = folderGraph();
    expect(graph.get('bot/engine')).toContain('flows');
    expect(graph.get('bot/channels/zalo-oa')).toContain('bot/privacy');
    // bot/channels/zalo-oa/tokens.ts imports bot/privacy, so bot/channels (its enclosing folder)
    // does too; bot/channels/zalo-oa using bot/channels/types.ts is no edge (one part).
    expect(graph.get('bot/channels')).toContain('bot/privacy');
    expect(graph.get('bot/channels/zalo-oa')).not.toContain('bot/channels');
  });

  it('sees a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });

  it('has no cycle between folders', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });
});
