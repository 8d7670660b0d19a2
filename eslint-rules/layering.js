// Layering by target environment (in the spirit of VS Code's code-layering rule): each
// folder under src/ may import only the folders and packages its environment allows.
import path from 'node:path';
import { builtinModules } from 'node:module';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const SRC = path.resolve(process.cwd(), 'src');

function layerOf(file) {
  const rel = path.relative(SRC, path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep)[0] ?? null;
}

function packageName(spec) {
  if (spec.startsWith('@')) return spec.split('/').slice(0, 2).join('/');
  return spec.split('/')[0];
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the folder layering of src/ (see docs/architecture.md)' },
    schema: [{ type: 'object', additionalProperties: true }],
  },
  create(context) {
    const layers = context.options[0] ?? {};
    const filename = context.filename ?? context.getFilename();
    const layer = layerOf(filename);
    const rules = layer ? layers[layer] : undefined;
    if (!rules) return {};
    const isTest = /\.test\.ts$/.test(filename);

    function check(node, spec) {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = layerOf(path.resolve(path.dirname(filename), spec));
        // Tests may use the Node adapters (file sources) to read the corpus.
        const allowed = rules.layers.includes(target) || (isTest && target === 'node');
        if (target && target !== layer && !allowed) {
          context.report({ node, message: `src/${layer} must not import from src/${target} ('${spec}')` });
        }
        return;
      }
      const builtin = NODE_BUILTINS.has(spec) || NODE_BUILTINS.has(spec.split('/')[0]);
      if (builtin) {
        if (!rules.node && !isTest) {
          context.report({ node, message: `src/${layer} must not import Node built-ins ('${spec}')` });
        }
        return;
      }
      const pkg = packageName(spec);
      if ((rules.denyPackages ?? []).some((p) => p === pkg || (p.endsWith('/*') && pkg.startsWith(p.slice(0, -1))))) {
        context.report({ node, message: `src/${layer} must not import '${pkg}'` });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};
