/** Publication figures in Node: ECharts server-side rendering (SVG), resvg (PNG), CSV. */
export { chartOption, figureSize, PALETTE, CURVE_WIDTH, type Curve, type FigureSpec, type Panel } from './figure.js';
export { renderPng, renderSvg, svgToPng, MAX_SCALE, type PngOptions } from './render.js';
export { columnsCsv, resultsCsv } from './csv.js';
export {
  msdResult,
  rdfResult,
  resultsFigure,
  rmsdResult,
  rmsfResult,
  thermoResult,
  vacfResult,
  vacfSpectrumResult,
  type ResultFigureOptions,
} from './results.js';
