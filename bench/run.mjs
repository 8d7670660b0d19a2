#!/usr/bin/env node
// `npm run bench`: Atomscope's trajectory reading against MDAnalysis, mdtraj (XTC) and ASE (extXYZ),
// measured side by side in one run, written to BENCHMARKS.md between the bench:io markers.
//
//   node bench/run.mjs [--runs N] [--no-write]
//
// Every run is a separate process under /usr/bin/time -v (peak RSS = its "Maximum resident set
// size"). Runs are interleaved (tool A, B, C, then A, B, C again) so drift hits all tools alike.
// Every run opens the file cold as far as indexes go: Atomscope gets an empty index cache
// (ATOMSCOPE_CACHE_DIR) and MDAnalysis's .big.xtc_offsets.npz is deleted first. The OS page
// cache is warm for everybody (each file is read once before the timed runs).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const DATA = path.join(BENCH, 'data');
const PY = process.env.PYTHON ?? '/usr/bin/python3';
const TIME = '/usr/bin/time';
const CLI = path.join(ROOT, 'out', 'node', 'cli.js');
const BENCH_MD = path.join(ROOT, 'BENCHMARKS.md');
const START = '<!-- bench:io:start -->';
const END = '<!-- bench:io:end -->';

const argv = process.argv.slice(2);
const RUNS = Number(argv.includes('--runs') ? argv[argv.indexOf('--runs') + 1] : 3);
const WRITE = !argv.includes('--no-write');
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs needs a positive integer');

const XTC = path.join(DATA, 'xtc', 'big.xtc');
const PDB = path.join(DATA, 'xtc', 'big_frame0.pdb');
const EXTXYZ = path.join(DATA, 'big_1000x1000.extxyz');

const t0 = Date.now();
const log = (msg) => console.log(`[bench ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);

// ---- 1. build the CLI when missing or older than the sources it bundles
function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|js|mjs|json)$/.test(e.name) && !/\.test\.ts$/.test(e.name))
      newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}
const srcNewest = Math.max(newestMtime(path.join(ROOT, 'src')), statSync(path.join(ROOT, 'package.json')).mtimeMs);
if (!existsSync(CLI) || statSync(CLI).mtimeMs < srcNewest) {
  log('building out/node (node scripts/build-node.mjs)');
  mustRun(process.execPath, [path.join(ROOT, 'scripts', 'build-node.mjs')], { cwd: ROOT, stdio: 'inherit' });
} else log('out/node/cli.js is up to date');

// ---- 2. data
const dataT0 = Date.now();
const dataMissing = ![XTC, PDB, EXTXYZ].every((f) => existsSync(f));
if (dataMissing) log('making benchmark data (bench/make-data.sh)');
mkdirSync(DATA, { recursive: true });
mustRun('bash', [path.join(BENCH, 'make-data.sh'), DATA], { cwd: ROOT, stdio: 'inherit' });
const dataS = (Date.now() - dataT0) / 1000;

// ---- 3. measurements
const cacheRoot = mkdtempSync(path.join(os.tmpdir(), 'atomscope-bench-'));
process.on('exit', () => rmSync(cacheRoot, { recursive: true, force: true }));
let cacheN = 0;

function atomscope(file, frames, reopen = false) {
  return () => {
    // First open: a fresh, empty index cache per run, so the index is built every time.
    // Reopen: one cache shared by these runs, filled by the warm-up.
    const cache = path.join(cacheRoot, reopen ? 'reopen' : String(cacheN++));
    const args = [CLI, 'check', file, '--json', ...(frames ? ['--frames', frames] : [])];
    const r = timed(process.execPath, args, { ATOMSCOPE_CACHE_DIR: cache });
    const j = JSON.parse(r.stdout.trim().split('\n').pop());
    if (j.problems.length) throw new Error(`atomscope check reported problems: ${j.problems.slice(0, 3).join('; ')}`);
    return { ...r, frames: j.frames, atoms: j.atoms_total / j.frames, seconds: j.seconds, index_s: j.index_s };
  };
}

function peer(script, fileArgs, tag, reopen = false) {
  return () => {
    // MDAnalysis caches XTC offsets next to the file: deleted for a first open, kept for a reopen.
    if (!reopen && fileArgs.includes(XTC)) {
      for (const f of ['.big.xtc_offsets.npz', '.big.xtc_offsets.lock'])
        rmSync(path.join(DATA, 'xtc', f), { force: true });
    }
    const r = timed(PY, [path.join(BENCH, 'peers', script), ...fileArgs], { OMP_NUM_THREADS: '1' });
    const line = r.stdout.split('\n').find((l) => l.startsWith(tag));
    if (!line) throw new Error(`${script}: no ${tag} line in its output:\n${r.stdout}\n${r.stderr.slice(-2000)}`);
    const kv = Object.fromEntries([...line.matchAll(/(\w+)=([^\s]+)/g)].map((m) => [m[1], Number(m[2])]));
    return { ...r, frames: kv.frames, atoms: kv.atoms, seconds: kv.seconds, universe_s: kv.universe_s };
  };
}

const cases = [
  { id: 'as-xtc', tool: 'Atomscope', case: 'XTC', run: atomscope(XTC) },
  { id: 'as-xtc-50', tool: 'Atomscope', case: 'XTC, frames 0:50', run: atomscope(XTC, '0:50') },
  { id: 'mda-xtc', tool: 'MDAnalysis', case: 'XTC', run: peer('time_xtc_mda.py', [PDB, XTC], 'MDA_XTC') },
  {
    id: 'mda-xtc-re',
    tool: 'MDAnalysis',
    case: 'XTC, reopen',
    run: peer('time_xtc_mda.py', [PDB, XTC], 'MDA_XTC', true),
  },
  { id: 'as-xtc-re', tool: 'Atomscope', case: 'XTC, reopen', run: atomscope(XTC, undefined, true) },
  { id: 'mdtraj-xtc', tool: 'mdtraj', case: 'XTC', run: peer('time_xtc_mdtraj.py', [PDB, XTC], 'MDTRAJ_XTC') },
  { id: 'as-xyz', tool: 'Atomscope', case: 'extXYZ', run: atomscope(EXTXYZ) },
  { id: 'as-xyz-re', tool: 'Atomscope', case: 'extXYZ, reopen', run: atomscope(EXTXYZ, undefined, true) },
  { id: 'ase-xyz', tool: 'ASE', case: 'extXYZ', run: peer('time_ase_read.py', [EXTXYZ], 'ASE_READ') },
];

log('warming the page cache and the index cache of the "reopen" runs');
for (const f of [XTC, PDB, EXTXYZ]) readFileSync(f);
for (const f of [XTC, EXTXYZ]) atomscope(f, undefined, true)();
const results = Object.fromEntries(cases.map((c) => [c.id, []]));
for (let r = 1; r <= RUNS; r++) {
  for (const c of cases) {
    const m = c.run();
    results[c.id].push(m);
    log(
      `run ${r}/${RUNS} ${c.tool.padEnd(10)} ${c.case.padEnd(17)} ${m.frames} frames x ${m.atoms} atoms in ` +
        `${m.seconds.toFixed(3)} s (${(m.frames / m.seconds).toFixed(1)} frames/s), ` +
        `process ${m.wall.toFixed(2)} s, max RSS ${m.rssMiB.toFixed(0)} MiB`,
    );
  }
}
const totalS = (Date.now() - t0) / 1000;

// ---- 4. summary
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const min = (xs) => Math.min(...xs);
function summary(id, secondsOf = (m) => m.seconds) {
  const ms = results[id];
  const secs = ms.map(secondsOf);
  const frames = ms[0].frames;
  const atoms = ms[0].atoms;
  return {
    frames,
    atoms,
    medS: median(secs),
    minS: min(secs),
    fps: frames / median(secs),
    bestFps: frames / min(secs),
    afps: (frames * atoms) / median(secs),
    rss: median(ms.map((m) => m.rssMiB)),
    rssMax: Math.max(...ms.map((m) => m.rssMiB)),
    wall: median(ms.map((m) => m.wall)),
  };
}
const S = Object.fromEntries(cases.map((c) => [c.id, summary(c.id)]));
const mdaIter = summary('mda-xtc', (m) => m.seconds - m.universe_s);
const ratio = (a, b) => a.fps / b.fps;

const machine = {
  cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
  cores: os.cpus().length,
  memGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  os: `${os.type()} ${os.release()}`,
  python: capture(PY, ['--version']).trim(),
  peers: capture(PY, [
    '-c',
    'import importlib.metadata as m; print(", ".join(f"{p} {m.version(p)}" for p in ("MDAnalysis","mdtraj","ase","numpy")))',
  ]).trim(),
  gmx: (capture('gmx', ['--version']).match(/GROMACS version:\s*(\S+)/) ?? [])[1] ?? 'unknown',
};

const f = (x, d = 0) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const sci = (x) => x.toExponential(2).replace('e+', 'e');
const row = (c, s, note) =>
  `| ${c.tool} | ${c.case} | ${f(s.fps, 1)} (best ${f(s.bestFps, 1)}) | ${sci(s.afps)} | ` +
  `${f(s.medS, 3)} | ${f(s.wall, 2)} | ${f(s.rss)} | ${note} |`;
const byId = Object.fromEntries(cases.map((c) => [c.id, c]));
const xtcAtoms = S['as-xtc'].atoms;
const goalXtc = ratio(S['as-xtc'], S['mda-xtc']);
const goalXyz = ratio(S['as-xyz'], S['ase-xyz']);
const flat = S['as-xtc'].rss / S['as-xtc-50'].rss;
const verdict = (ok) => (ok ? 'met' : '**missed**');

const lines = [
  '## Reading trajectories',
  '',
  `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine.cores} cores (${machine.cpu}), ` +
    `${machine.memGiB} GiB RAM, ${machine.os}; Node ${machine.node}; ${machine.python} with Debian's ` +
    `${machine.peers}; GROMACS ${machine.gmx} made the XTC. ${RUNS} runs per row, interleaved; the whole bench took ` +
    `${f(totalS)} s (${dataMissing ? `${f(dataS)} s of it making the data` : 'data already present; making it takes about 60 s more'}).`,
  '',
  `- **XTC**: GROMACS SPC/E water in a 10 nm box, ${f(xtcAtoms)} atoms x ${S['as-xtc'].frames} frames ` +
    `(${f(statSync(XTC).size / 2 ** 20, 1)} MiB, precision 1000), topology for the peers from a PDB of frame 0.`,
  `- **extXYZ**: ${S['as-xyz'].frames} frames x ${f(S['as-xyz'].atoms)} Cu atoms with per-frame energy and ` +
    `per-atom forces, written by ASE (${f(statSync(EXTXYZ).size / 2 ** 20, 1)} MiB).`,
  '',
  '| tool | case | frames/s (median of runs) | atom-frames/s | s (tool timer) | s (process) | peak RSS MiB | ratio vs peer |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |',
  row(
    byId['as-xtc'],
    S['as-xtc'],
    `**${f(goalXtc, 2)}x** MDAnalysis, ${f(ratio(S['as-xtc'], mdaIter), 2)}x its loop alone; ` +
      `${f(ratio(S['as-xtc'], S['mdtraj-xtc']), 2)}x mdtraj`,
  ),
  row(byId['as-xtc-50'], S['as-xtc-50'], `all 200 frames peak at ${f(flat, 2)}x this RSS`),
  row(byId['mda-xtc'], S['mda-xtc'], 'peer'),
  row(
    byId['as-xtc-re'],
    S['as-xtc-re'],
    `${f(ratio(S['as-xtc-re'], S['mda-xtc-re']), 2)}x MDAnalysis reopening (offsets cached)`,
  ),
  row(byId['mda-xtc-re'], S['mda-xtc-re'], 'peer'),
  `| MDAnalysis | XTC, loop only (without \`Universe()\`) | ${f(mdaIter.fps, 1)} (best ${f(mdaIter.bestFps, 1)}) | ` +
    `${sci(mdaIter.afps)} | ${f(mdaIter.medS, 3)} | | | same runs as above |`,
  row(byId['mdtraj-xtc'], S['mdtraj-xtc'], 'peer'),
  row(byId['as-xyz'], S['as-xyz'], `**${f(goalXyz, 2)}x** ASE`),
  row(byId['as-xyz-re'], S['as-xyz-re'], `${f(ratio(S['as-xyz-re'], S['ase-xyz']), 2)}x ASE (which has no index)`),
  row(byId['ase-xyz'], S['ase-xyz'], 'peer'),
  '',
  'Goals (issue 3, point 8):',
  '',
  `- XTC at least as fast as MDAnalysis: ${verdict(goalXtc >= 1)} (${f(goalXtc, 2)}x on a first open, ` +
    `${f(ratio(S['as-xtc-re'], S['mda-xtc-re']), 2)}x on a reopen with both index caches filled).`,
  `- extXYZ at least 3x ASE: ${verdict(goalXyz >= 3)} (${f(goalXyz, 2)}x on a first open, which includes ` +
    `building the frame index (median ${f(median(results['as-xyz'].map((m) => m.index_s)), 3)} s); ` +
    `${f(ratio(S['as-xyz-re'], S['ase-xyz']), 2)}x on a reopen, index cached).`,
  `- Memory flat in file size: ${verdict(flat < 1.25)}: reading 50 of the 200 XTC frames peaks at ` +
    `${f(S['as-xtc-50'].rss)} MiB, all 200 at ${f(S['as-xtc'].rss)} MiB (largest of the runs: ` +
    `${f(S['as-xtc-50'].rssMax)} and ${f(S['as-xtc'].rssMax)} MiB). mdtraj loads everything ` +
    `(${f(S['mdtraj-xtc'].rss)} MiB); MDAnalysis streams like Atomscope (${f(S['mda-xtc'].rss)} MiB).`,
  '',
  'How the figures are taken:',
  '',
  '- frames/s = frames / the tool\'s own timer, median of the runs ("best" uses the fastest run). The timers ' +
    'cover: Atomscope, `atomscope check` from opening the file (format detection, building the frame index) ' +
    'to the last frame decoded and checked for non-finite coordinates; MDAnalysis, `Universe(pdb, xtc)` ' +
    '(topology parse and XTC offset scan) plus iterating every frame; mdtraj, `load_xtc` of all frames; ASE, ' +
    '`ase.io.read(file, ":")`. "s (process)" is the wall time of the whole process (interpreter start and ' +
    'imports included).',
  '- Rows without "reopen" are first opens: Atomscope gets an empty index cache (`ATOMSCOPE_CACHE_DIR`), ' +
    'MDAnalysis\'s `.big.xtc_offsets.npz` is deleted before each run. "Reopen" rows keep those caches, as when ' +
    "a file is opened again. The files are in the OS page cache throughout. Peak RSS is `/usr/bin/time -v`'s " +
    '"Maximum resident set size" of the process. The goals are judged on first opens.',
  '',
  'Reproduce:',
  '',
  '```sh',
  'node scripts/build-node.mjs            # out/node/cli.js (run.mjs does this when it is stale)',
  'bash bench/make-data.sh                # bench/data/: the XTC (gmx, about 60 s) and the extXYZ (ASE, 5 s)',
  'npm run bench                          # = node bench/run.mjs [--runs N] [--no-write]',
  '# single measurements, as run.mjs takes them:',
  'ATOMSCOPE_CACHE_DIR=$(mktemp -d) /usr/bin/time -v node out/node/cli.js check bench/data/xtc/big.xtc --json',
  'ATOMSCOPE_CACHE_DIR=$(mktemp -d) /usr/bin/time -v node out/node/cli.js check bench/data/xtc/big.xtc --frames 0:50 --json',
  'ATOMSCOPE_CACHE_DIR=$(mktemp -d) /usr/bin/time -v node out/node/cli.js check bench/data/big_1000x1000.extxyz --json',
  '# "reopen" rows: the same commands with one cache kept across runs (ATOMSCOPE_CACHE_DIR=/tmp/as-idx, run twice);',
  '# MDAnalysis reopen: the command below without the rm',
  'rm -f bench/data/xtc/.big.xtc_offsets.*; /usr/bin/time -v /usr/bin/python3 bench/peers/time_xtc_mda.py bench/data/xtc/big_frame0.pdb bench/data/xtc/big.xtc',
  '/usr/bin/time -v /usr/bin/python3 bench/peers/time_xtc_mdtraj.py bench/data/xtc/big_frame0.pdb bench/data/xtc/big.xtc',
  '/usr/bin/time -v /usr/bin/python3 bench/peers/time_ase_read.py bench/data/big_1000x1000.extxyz',
  '```',
];

const section = `${START}\n${lines.join('\n')}\n${END}`;
console.log('\n' + lines.slice(0, 30).join('\n'));
writeFileSync(
  path.join(DATA, 'results-io.json'),
  JSON.stringify(
    {
      machine,
      runs: RUNS,
      totalS,
      dataS,
      results: Object.fromEntries(
        Object.entries(results).map(([k, ms]) => [k, ms.map(({ stdout: _o, stderr: _e, ...m }) => m)]),
      ),
      summary: S,
      mdaLoopOnly: mdaIter,
    },
    null,
    2,
  ),
);
if (WRITE) {
  let md = existsSync(BENCH_MD) ? readFileSync(BENCH_MD, 'utf8') : '# Benchmarks\n\nWritten by `npm run bench`.\n';
  const a = md.indexOf(START);
  const b = md.indexOf(END);
  if (a >= 0 && b > a) md = md.slice(0, a) + section + md.slice(b + END.length);
  else md = md.replace(/\n*$/, '\n\n') + section + '\n';
  writeFileSync(BENCH_MD, md);
  log(`wrote the "Reading trajectories" section of BENCHMARKS.md; raw runs in bench/data/results-io.json`);
}
log(`done in ${f(totalS)} s`);

// ---- helpers
function timed(cmd, args, env) {
  const r = spawnSync(TIME, ['-v', cmd, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
  });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr.slice(-3000)}`);
  const rss = r.stderr.match(/Maximum resident set size \(kbytes\): (\d+)/);
  const el = r.stderr.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/);
  if (!rss || !el) throw new Error(`no /usr/bin/time -v report for ${cmd}:\n${r.stderr.slice(-2000)}`);
  const wall = el[1].split(':').reduce((acc, p) => acc * 60 + Number(p), 0);
  return { stdout: r.stdout, stderr: r.stderr, rssMiB: Number(rss[1]) / 1024, wall };
}

function mustRun(cmd, args, opts) {
  const r = spawnSync(cmd, args, opts);
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
}

function capture(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout + r.stderr : '';
}
