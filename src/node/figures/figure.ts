/**
 * A publication figure as data (panels of curves over a shared x quantity) and the ECharts
 * option that draws it. Plain data in, a plain option object out: rendering (SVG by ECharts
 * server-side rendering, PNG by resvg) is in render.ts.
 */

export interface Curve {
  /** Legend entry (file name, column name). */
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** Drawn dashed and without a legend entry of its own colour cycle (fits, references). */
  dashed?: boolean;
  /** Index into the palette; by default the curve's position among the solid curves. */
  colour?: number;
}

export interface Panel {
  yLabel: string;
  curves: Curve[];
  /** Vertical guides (peak position, fit window). */
  marks?: { x: number; label: string }[];
}

export interface FigureSpec {
  xLabel: string;
  panels: Panel[];
  title?: string;
  /** CSS pixels of the SVG (the PNG is this times its scale). */
  width?: number;
  height?: number;
  /** Markers at the points instead of lines (scatter plots). */
  scatter?: boolean;
  /** Legend: default when there is more than one named solid curve. */
  legend?: boolean;
  /** No background rectangle (PNG with alpha, SVG over any page colour). */
  transparent?: boolean;
  /** Theme: 'light' for paper (default), 'dark' for the app's panels. */
  theme?: 'light' | 'dark';
}

/** matplotlib's tab10: the colours scientists read as "curve 1, curve 2...". */
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

export const FONT_FAMILY = "Helvetica, Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif";

/** Above this many points a curve is drawn through LTTB down-sampling (shape kept, fewer segments). */
export const SAMPLING_THRESHOLD = 4000;

export const DEFAULT_WIDTH = 640;
export const PANEL_HEIGHT = 400;
/** Line width of the data curves (px before scaling): tests find curves by it. */
export const CURVE_WIDTH = 1.75;

/** [x, y] pairs, non-finite y as a gap ('-'), non-finite x dropped. */
function points(c: Curve): (number | string)[][] {
  const n = Math.min(c.x.length, c.y.length);
  const out: (number | string)[][] = [];
  for (let i = 0; i < n; i++) {
    const x = c.x[i]!;
    const y = c.y[i]!;
    if (!Number.isFinite(x)) continue;
    out.push([x, Number.isFinite(y) ? y : '-']);
  }
  return out;
}

function colourOf(curve: Curve, solidIndex: number): string {
  return PALETTE[(curve.colour ?? solidIndex) % PALETTE.length]!;
}

/** Pixel size of a figure: one panel 640 × 400 by default, each further panel 220 px more. */
export function figureSize(spec: FigureSpec): { width: number; height: number } {
  const width = Math.round(spec.width ?? DEFAULT_WIDTH);
  const extra = Math.max(0, spec.panels.length - 1) * 220;
  return { width, height: Math.round(spec.height ?? PANEL_HEIGHT + extra) };
}

/** The ECharts option of a figure (no animation: server-side rendering takes the first state). */
export function chartOption(spec: FigureSpec): Record<string, unknown> {
  if (spec.panels.length === 0) throw new Error('a figure needs at least one panel');
  const { height } = figureSize(spec);
  const dark = spec.theme === 'dark';
  const ink = dark ? '#d9dee5' : '#222222';
  const faint = dark ? '#2f343c' : '#e6e6e6';
  const axisLine = dark ? '#8c95a1' : '#444444';
  const solid = spec.panels.flatMap((p) => p.curves.filter((c) => !c.dashed));
  const names = [...new Set(solid.map((c) => c.name))];
  const legend = spec.legend ?? names.length > 1;
  const top = (spec.title ? 34 : 14) + (legend ? 26 : 0);
  const bottom = 52;
  const gap = 46;
  const count = spec.panels.length;
  const plotHeight = (height - top - bottom - gap * (count - 1)) / count;

  const grid = spec.panels.map((_, i) => ({
    left: 78,
    right: 24,
    top: top + i * (plotHeight + gap),
    height: plotHeight,
  }));
  const axisCommon = {
    axisLine: { show: true, onZero: false, lineStyle: { color: axisLine } },
    axisTick: { show: true, inside: true, lineStyle: { color: axisLine } },
    axisLabel: { color: ink, fontSize: 12, fontFamily: FONT_FAMILY },
    nameTextStyle: { color: ink, fontSize: 13, fontFamily: FONT_FAMILY },
    splitLine: { show: true, lineStyle: { color: faint } },
  };
  const xAxis = spec.panels.map((_, i) => ({
    ...axisCommon,
    type: 'value',
    gridIndex: i,
    scale: true,
    name: i === count - 1 ? spec.xLabel : '',
    nameLocation: 'middle',
    nameGap: 28,
  }));
  const yAxis = spec.panels.map((p, i) => ({
    ...axisCommon,
    type: 'value',
    gridIndex: i,
    scale: true,
    name: p.yLabel,
    nameLocation: 'middle',
    nameGap: 46,
    nameRotate: 90,
  }));
  const series: Record<string, unknown>[] = [];
  const solidIndex = new Map(names.map((n, i) => [n, i]));
  spec.panels.forEach((panel, i) => {
    panel.curves.forEach((c, k) => {
      const colour = colourOf(c, solidIndex.get(c.name) ?? k);
      const data = points(c);
      const s: Record<string, unknown> = {
        type: spec.scatter ? 'scatter' : 'line',
        name: c.name,
        xAxisIndex: i,
        yAxisIndex: i,
        data,
        color: colour,
        animation: false,
        silent: true,
      };
      if (spec.scatter) Object.assign(s, { symbolSize: 4 });
      else {
        Object.assign(s, {
          showSymbol: false,
          symbol: 'none',
          connectNulls: false,
          lineStyle: { width: c.dashed ? 1.25 : CURVE_WIDTH, type: c.dashed ? 'dashed' : 'solid', color: colour },
          sampling: data.length > SAMPLING_THRESHOLD ? 'lttb' : undefined,
          z: c.dashed ? 3 : 2,
        });
      }
      if (k === 0 && panel.marks && panel.marks.length > 0) {
        s['markLine'] = {
          silent: true,
          symbol: 'none',
          animation: false,
          lineStyle: { color: axisLine, type: 'dotted', width: 1 },
          label: { color: ink, fontSize: 11, fontFamily: FONT_FAMILY, formatter: '{b}', position: 'insideEndTop' },
          data: panel.marks.map((m) => ({ xAxis: m.x, name: m.label })),
        };
      }
      series.push(s);
    });
  });
  return {
    animation: false,
    backgroundColor: spec.transparent ? 'transparent' : dark ? '#1d2025' : '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY, color: ink },
    title: spec.title
      ? { text: spec.title, left: 12, top: 8, textStyle: { fontSize: 14, fontWeight: 'normal', color: ink } }
      : undefined,
    legend: legend
      ? {
          data: names,
          top: spec.title ? 30 : 6,
          left: 'center',
          textStyle: { color: ink, fontSize: 12, fontFamily: FONT_FAMILY },
          icon: 'rect',
          itemWidth: 22,
          itemHeight: 3,
        }
      : undefined,
    grid,
    xAxis,
    yAxis,
    series,
  };
}
