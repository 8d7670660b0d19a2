// Figures without a browser: the SVG carries the axis titles and one path per curve, the PNG
// has the asked size and is not blank (transparent where asked), the CSV has every curve.
import { describe, expect, it } from 'vitest';
import { curvePaths, decodePng } from '../../../test/png';
import type { AnalysisResult } from '../../shared/types';
import { PALETTE, type FigureSpec } from './figure';
import { renderPng, renderSvg } from './render';
import { resultsCsv } from './csv';
import { resultsFigure } from './results';

const xs = Float64Array.from({ length: 200 }, (_, i) => i * 0.05);
const spec: FigureSpec = {
  xLabel: 'r (Å)',
  panels: [
    {
      yLabel: 'g(r)',
      curves: [
        { name: 'a.xtc', x: xs, y: xs.map((r) => 1 + Math.sin(r) * Math.exp(-r / 4)) },
        { name: 'b.xtc', x: xs, y: xs.map((r) => 1 + 0.5 * Math.cos(r)) },
      ],
      marks: [{ x: 3.7, label: 'peak' }],
    },
  ],
};

function result(source: string, shift: number, n = 50): AnalysisResult {
  const r = Float64Array.from({ length: n }, (_, i) => 0.025 + i * 0.05);
  return {
    kind: 'rdf',
    source,
    columns: [
      { name: 'r_A', label: 'r (Å)', values: r },
      { name: 'g_r', label: 'g(r)', values: r.map((v) => Math.exp(-((v - shift) ** 2))) },
      { name: 'coord_r', label: 'n(r)', values: r.map((v) => v * v) },
    ],
    x: 'r_A',
    y: ['g_r'],
    frame: null,
    summary: {},
    marks: [{ x: shift, label: 'peak' }],
    overlays: [],
    params: {},
    warnings: [],
  };
}

describe('SVG figures (ECharts server-side rendering)', () => {
  it('has both axis titles, a legend entry per file and one path per curve', async () => {
    const svg = await renderSvg(spec);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/width="640" height="400"/);
    expect(svg).toContain('r (Å)');
    expect(svg).toContain('g(r)');
    expect(svg).toContain('a.xtc');
    expect(svg).toContain('b.xtc');
    const paths = curvePaths(svg);
    expect(paths.map((p) => p.colour)).toEqual([PALETTE[0], PALETTE[1]]);
    for (const p of paths) expect(p.segments).toBeGreaterThan(100);
  });

  it('one file: no legend; a long series is drawn through LTTB sampling', async () => {
    const n = 50_000;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const svg = await renderSvg({
      xLabel: 't (ps)',
      panels: [{ yLabel: 'T (K)', curves: [{ name: 'x', x, y: x.map(Math.sin) }] }],
    });
    const paths = curvePaths(svg);
    expect(paths).toHaveLength(1);
    expect(paths[0]!.segments).toBeLessThan(5000);
    expect(svg).not.toMatch(/>x</);
  });

  it('stacks one panel per thermo quantity over the shared time axis', async () => {
    const t = Float64Array.from({ length: 20 }, (_, i) => i);
    const svg = await renderSvg({
      xLabel: 't (ps)',
      panels: [
        { yLabel: 'Temp (K)', curves: [{ name: 'log', x: t, y: t }] },
        { yLabel: 'Press (bar)', curves: [{ name: 'log', x: t, y: t.map((v) => -v) }] },
      ],
    });
    expect(svg).toMatch(/height="620"/);
    expect(svg).toContain('Temp (K)');
    expect(svg).toContain('Press (bar)');
    expect(curvePaths(svg)).toHaveLength(2);
  });
});

describe('PNG figures (resvg)', () => {
  it('has the asked size (IHDR) and is not blank; opaque white background by default', async () => {
    const png = decodePng(await renderPng(spec, { scale: 2 }));
    expect([png.width, png.height]).toEqual([1280, 800]);
    const ch = png.colourType === 6 ? 4 : 3;
    let white = 0;
    let coloured = 0;
    let seeThrough = 0;
    for (let i = 0; i < png.pixels.length; i += ch) {
      const [r, g, b] = [png.pixels[i]!, png.pixels[i + 1]!, png.pixels[i + 2]!];
      if (ch === 4 && png.pixels[i + 3] !== 255) seeThrough++;
      if (r === 255 && g === 255 && b === 255) white++;
      // The first curve's blue (#1f77b4) and the second's red (#d62728).
      if (Math.abs(r - 0x1f) < 40 && Math.abs(g - 0x77) < 40 && b > 0x90) coloured++;
      if (r > 0xb0 && g < 0x60 && b < 0x60) coloured++;
    }
    const total = png.pixels.length / ch;
    expect(seeThrough).toBe(0);
    expect(white / total).toBeGreaterThan(0.5);
    expect(coloured).toBeGreaterThan(1000);
  });

  it('--scale 1 and --transparent: alpha 0 where nothing is drawn, opaque ink elsewhere', async () => {
    const png = decodePng(await renderPng(spec, { scale: 1, transparent: true }));
    expect([png.width, png.height]).toEqual([640, 400]);
    expect(png.colourType).toBe(6);
    let clear = 0;
    let opaque = 0;
    for (let i = 3; i < png.pixels.length; i += 4) {
      if (png.pixels[i] === 0) clear++;
      else if (png.pixels[i] === 255) opaque++;
    }
    expect(clear / (png.pixels.length / 4)).toBeGreaterThan(0.5);
    expect(opaque).toBeGreaterThan(500);
    // Corner pixel: background, fully transparent.
    expect(png.pixels[3]).toBe(0);
  });

  it('refuses a scale that would make an absurd image', async () => {
    await expect(renderPng(spec, { scale: 100 })).rejects.toThrow(/scale/);
  });
});

describe('figures and CSV from analysis results', () => {
  it('overlays one curve per file with the file names as legend', async () => {
    const fig = resultsFigure([result('one.xtc', 3.7), result('two.xtc', 4.1)]);
    expect(fig.xLabel).toBe('r (Å)');
    expect(fig.panels).toHaveLength(1);
    expect(fig.panels[0]!.yLabel).toBe('g(r)');
    expect(fig.panels[0]!.curves.map((c) => c.name)).toEqual(['one.xtc', 'two.xtc']);
    expect(fig.legend).toBe(true);
    const svg = await renderSvg(fig);
    expect(curvePaths(svg)).toHaveLength(2);
  });

  it('CSV: one file as its columns; several with a leading file column, every row of every curve', async () => {
    const one = resultsCsv([result('one.xtc', 3.7, 10)])
      .trim()
      .split('\n');
    expect(one[0]).toBe('r_A,g_r,coord_r');
    expect(one).toHaveLength(11);
    expect(one[1]!.split(',').map(Number)[0]).toBeCloseTo(0.025, 12);
    const two = resultsCsv([result('one.xtc', 3.7, 10), result('two, b.xtc', 4.1, 20)])
      .trim()
      .split('\n');
    expect(two[0]).toBe('file,r_A,g_r,coord_r');
    expect(two).toHaveLength(1 + 10 + 20);
    expect(two[1]!.startsWith('one.xtc,0.025,')).toBe(true);
    expect(two[11]!.startsWith('"two, b.xtc",0.025,')).toBe(true);
  });
});
