/**
 * Figures without a browser: ECharts server-side rendering to an SVG string, and resvg (a
 * Rust rasterizer whose binary ships inside its npm package) from that SVG to PNG at any
 * scale, with or without a background.
 */
import { chartOption, figureSize, type FigureSpec } from './figure.js';

type EChartsCore = typeof import('echarts/core');
type ResvgClass = typeof import('@resvg/resvg-js').Resvg;

let loaded: Promise<{ echarts: EChartsCore; Resvg: ResvgClass }> | null = null;

/**
 * ECharts and resvg, loaded on first use: half a second of module loading that the commands
 * which draw nothing (and the compute host until someone exports a figure) never pay.
 */
function libraries(): Promise<{ echarts: EChartsCore; Resvg: ResvgClass }> {
  loaded ??= (async () => {
    const [echarts, charts, components, renderers, resvg] = await Promise.all([
      import('echarts/core'),
      import('echarts/charts'),
      import('echarts/components'),
      import('echarts/renderers'),
      import('@resvg/resvg-js'),
    ]);
    echarts.use([
      charts.LineChart,
      charts.ScatterChart,
      components.GridComponent,
      components.LegendComponent,
      components.MarkLineComponent,
      components.TitleComponent,
      renderers.SVGRenderer,
    ]);
    const Resvg = resvg.Resvg ?? (resvg as unknown as { default: { Resvg: ResvgClass } }).default.Resvg;
    return { echarts, Resvg };
  })();
  return loaded;
}

export interface PngOptions {
  /** Pixels per SVG pixel (2 for a 1280 px wide figure from a 640 px one). Default 2. */
  scale?: number;
  /** Keep the background transparent (alpha 0 where nothing is drawn). */
  transparent?: boolean;
}

export const MAX_SCALE = 16;
/** Largest PNG side, in pixels: keeps a mistyped scale from asking for gigabytes. */
export const MAX_PNG_SIDE = 16384;

/** The figure as a standalone SVG document. */
export async function renderSvg(spec: FigureSpec): Promise<string> {
  const { echarts } = await libraries();
  const { width, height } = figureSize(spec);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(chartOption(spec));
    return chart.renderToSVGString();
  } finally {
    // Without dispose the chart's timers keep Node alive.
    chart.dispose();
  }
}

/** Rasterises an SVG document (as renderSvg makes it) to PNG bytes. */
export async function svgToPng(svg: string, options: PngOptions = {}): Promise<Uint8Array> {
  const { Resvg } = await libraries();
  const scale = options.scale ?? 2;
  if (!(scale > 0) || scale > MAX_SCALE)
    throw new RangeError(`the PNG scale must be in (0, ${MAX_SCALE}], got ${scale}`);
  const size = /<svg[^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/.exec(svg);
  if (size && Math.max(Number(size[1]), Number(size[2])) * scale > MAX_PNG_SIDE) {
    throw new RangeError(`a ${size[1]} × ${size[2]} figure at scale ${scale} is larger than ${MAX_PNG_SIDE} px`);
  }
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: options.transparent ? undefined : '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    shapeRendering: 2,
    textRendering: 1,
  });
  const png = resvg.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/** The figure as PNG bytes. */
export async function renderPng(spec: FigureSpec, options: PngOptions = {}): Promise<Uint8Array> {
  return svgToPng(await renderSvg({ ...spec, transparent: options.transparent ?? spec.transparent }), options);
}
