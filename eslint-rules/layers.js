// Which folder may import which (the house rules of DESIGN.md). `node: true` allows Node
// built-ins; denyPackages lists packages that belong to another environment.
const UI = ['electron', 'vue', '@babylonjs/*', 'echarts', 'vue-router', 'pinia'];
const SERVERS = ['ws', 'onnxruntime-node'];

export const layers = {
  core: { layers: [], node: false, denyPackages: [...UI, ...SERVERS, 'zod'] },
  shared: { layers: ['core'], node: false, denyPackages: [...UI, ...SERVERS] },
  node: { layers: ['core', 'shared'], node: true, denyPackages: UI },
  compute: { layers: ['core', 'shared', 'node'], node: true, denyPackages: UI },
  backend: { layers: ['core', 'shared', 'node'], node: true, denyPackages: UI },
  server: { layers: ['core', 'shared', 'node', 'backend'], node: true, denyPackages: UI },
  cli: { layers: ['core', 'shared', 'node', 'backend', 'server'], node: true, denyPackages: UI },
  main: { layers: ['core', 'shared', 'node', 'backend'], node: true, denyPackages: ['vue', '@babylonjs/*', 'echarts'] },
  preload: { layers: ['shared'], node: false, denyPackages: ['vue', '@babylonjs/*', 'echarts', ...SERVERS] },
  renderer: { layers: ['core', 'shared'], node: false, denyPackages: ['electron', ...SERVERS] },
};
