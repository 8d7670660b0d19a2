/**
 * The dashboards' ECharts option: the same look as the exported figures (node/figures), plus
 * what a screen adds: tooltips, zoom, and the frame cursor linked to the viewer.
 */
import type { AnalysisResult } from '../../../../shared/types';

/** matplotlib's tab10, as in the exported figures. */
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
];
/** Brighter variants for the dark panels (same hue order). */
export const PALETTE_DARK = [
  '#5aa7ff',
  '#ff6b6b',
  '#5fd17a',
  '#b692f6',
  '#ffa94d',
  '#3bd4e4',
  '#c08a6e',
  '#f59ad6',
  '#a3a3a3',
  '#d4d45a',
];

export interface PlotCurve {
  /** Legend entry: the file name (or file: column for several columns). */
  name: string;
  result: AnalysisResult;
  y: string;
  colour: number;
}

export const CURSOR_SERIES_ID = 'frame-cursor';
const SAMPLING_THRESHOLD = 4000;

export function numericColumn(r: AnalysisResult, name: string): Float64Array | null {
  const c = r.columns.find((k) => k.name === name);
  return c && !Array.isArray(c.values) ? (c.values as Float64Array) : null;
}

export function columnLabel(r: AnalysisResult, name: string): string {
  return r.columns.find((k) => k.name === name)?.label ?? name;
}

function points(x: Float64Array, y: Float64Array): (number | string)[][] {
  const out: (number | string)[][] = [];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]!)) continue;
    out.push([x[i]!, Number.isFinite(y[i]!) ? y[i]! : '-']);
  }
  return out;
}

/** Compact axis numbers: 0.0001 -> 1e-4, 12345.678 -> 12345.7. */
function tick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(6)));
}

export interface OptionPanel {
  yLabel: string;
  curves: PlotCurve[];
}

export interface OptionInput {
  /** Stacked plots over the same x (thermo quantities of different units); usually one. */
  panels: OptionPanel[];
  xLabel: string;
  /** Guides (peak, fit window) when one file is shown. */
  marks: { x: number; label: string }[];
  overlays: { name: string; x: Float64Array; y: Float64Array }[];
  /** Legend when more than one curve. */
  legend: boolean;
}

export function dashboardOption(input: OptionInput): Record<string, unknown> {
  const ink = '#d9dee5';
  const muted = '#8c95a1';
  const faint = '#2a2f37';
  const axis = {
    axisLine: { show: true, onZero: false, lineStyle: { color: muted } },
    axisTick: { show: true, inside: true, lineStyle: { color: muted } },
    axisLabel: { color: muted, fontSize: 11, formatter: tick },
    nameTextStyle: { color: ink, fontSize: 12 },
    splitLine: { show: true, lineStyle: { color: faint } },
  };
  const n = Math.max(1, input.panels.length);
  // Percent of the chart height: legend strip on top, x axis title at the bottom.
  const top = input.legend ? 9 : 4;
  const bottom = 13;
  const gap = n > 1 ? 8 : 0;
  const height = (100 - top - bottom - gap * (n - 1)) / n;
  const grid = input.panels.map((_, i) => ({
    left: 64,
    right: 20,
    top: `${top + i * (height + gap)}%`,
    height: `${height}%`,
  }));
  const xAxis = input.panels.map((_, i) => ({
    ...axis,
    type: 'value',
    gridIndex: i,
    scale: true,
    name: i === n - 1 ? input.xLabel : '',
    nameLocation: 'middle',
    nameGap: 26,
  }));
  const yAxis = input.panels.map((p, i) => ({
    ...axis,
    type: 'value',
    gridIndex: i,
    scale: true,
    name: p.yLabel,
    nameLocation: 'middle',
    nameGap: 46,
  }));
  const series: Record<string, unknown>[] = [];
  input.panels.forEach((panel, g) => {
    panel.curves.forEach((c, i) => {
      const x = numericColumn(c.result, c.result.x) ?? new Float64Array(0);
      const y = numericColumn(c.result, c.y) ?? new Float64Array(0);
      const colour = PALETTE_DARK[c.colour % PALETTE_DARK.length]!;
      const s: Record<string, unknown> = {
        type: 'line',
        name: c.name,
        xAxisIndex: g,
        yAxisIndex: g,
        data: points(x, y),
        showSymbol: false,
        symbol: 'none',
        color: colour,
        lineStyle: { width: 1.6, color: colour },
        animation: false,
        sampling: x.length > SAMPLING_THRESHOLD ? 'lttb' : undefined,
        emphasis: { disabled: true },
      };
      if (g === 0 && i === 0 && input.marks.length > 0) {
        s['markLine'] = {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: muted, type: 'dotted', width: 1 },
          label: { color: muted, fontSize: 10, formatter: '{b}', position: 'insideEndTop' },
          data: input.marks.map((m) => ({ xAxis: m.x, name: m.label })),
        };
      }
      series.push(s);
    });
  });
  for (const o of input.overlays) {
    series.push({
      type: 'line',
      name: o.name,
      data: points(o.x, o.y),
      showSymbol: false,
      symbol: 'none',
      color: muted,
      lineStyle: { width: 1, type: 'dashed', color: muted },
      animation: false,
      silent: true,
      tooltip: { show: false },
    });
  }
  // The frame cursor: an empty series per plot carrying one markLine, updated by id.
  input.panels.forEach((_, g) =>
    series.push({ id: `${CURSOR_SERIES_ID}-${g}`, type: 'line', xAxisIndex: g, yAxisIndex: g, data: [], silent: true }),
  );
  const names = [...new Set(input.panels.flatMap((p) => p.curves.map((c) => c.name)))];
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: ink },
    grid,
    legend: input.legend
      ? { top: 2, data: names, textStyle: { color: ink, fontSize: 11 }, icon: 'rect', itemWidth: 18, itemHeight: 3 }
      : { show: false },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'line', lineStyle: { color: muted } },
      backgroundColor: '#23272e',
      borderColor: '#2f343c',
      textStyle: { color: ink, fontSize: 11 },
      valueFormatter: (v: unknown) => (typeof v === 'number' ? tick(v) : String(v)),
    },
    axisPointer: { link: [{ xAxisIndex: 'all' }] },
    xAxis,
    yAxis,
    dataZoom: [{ type: 'inside', xAxisIndex: input.panels.map((_, i) => i), filterMode: 'none' }],
    series,
  };
}

/** The cursor series update of `panels` plots for frame position x (null hides it). */
export function cursorOption(x: number | null, panels: number): Record<string, unknown> {
  return {
    series: Array.from({ length: Math.max(1, panels) }, (_, g) => ({
      id: `${CURSOR_SERIES_ID}-${g}`,
      markLine: {
        silent: true,
        symbol: 'none',
        animation: false,
        lineStyle: { color: '#e8b65a', width: 1.5, type: 'solid' },
        label: { show: false },
        data: x === null ? [] : [{ xAxis: x }],
      },
    })),
  };
}

/**
 * Row of `result` showing `frame` (the last row whose frame is at or before it, so a
 * strided analysis keeps the cursor at the nearest analysed frame), or -1.
 */
export function rowOfFrame(frames: Int32Array, frame: number): number {
  let best = -1;
  for (let k = 0; k < frames.length; k++) {
    if (frames[k]! <= frame && (best < 0 || frames[k]! >= frames[best]!)) best = k;
  }
  return best;
}

/** Row whose x is nearest `x` (x need not be sorted). */
export function rowNearestX(xs: Float64Array, x: number): number {
  let best = -1;
  let d = Infinity;
  for (let k = 0; k < xs.length; k++) {
    const e = Math.abs(xs[k]! - x);
    if (e < d) {
      d = e;
      best = k;
    }
  }
  return best;
}
