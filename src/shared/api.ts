/**
 * The API contract: one table, method name -> input schema -> output type. Electron main
 * registers an IPC handler per entry, the preload bridge exposes one function per entry,
 * and `atomscope serve` answers the same entries over WebSocket. Every input that crosses
 * a process boundary is parsed by its schema before a handler sees it.
 */
import { z } from 'zod';
import type { MethodName } from './methods.js';
import type { AnalysisRunOutput, AppInfo, ExportedFigure, FrameData, OpenFile } from './types.js';

/** A method: its input schema and (phantom) output type. */
export interface MethodSpec<I extends z.ZodType, O> {
  input: I;
  /** Never read at run time; carries the output type. */
  output?: O;
  /** True for methods that start a job and so accept a client job id for progress/cancel. */
  job?: boolean;
}

/** `method<Output>()(inputSchema)`: curried so the schema type is inferred and only the output is written. */
function method<O>() {
  return <I extends z.ZodType>(input: I, opts: { job?: boolean } = {}): MethodSpec<I, O> => ({ input, ...opts });
}

const jobId = z.string().min(1).max(64).optional();
const path = z.string().min(1).max(4096);
const fileId = z.string().min(1).max(64);

/** The analyses of the dashboards and of `atomscope rdf|msd|vacf|rmsd|rmsf|thermo`. */
export const analysisKind = z.enum(['rdf', 'msd', 'vacf', 'rmsd', 'rmsf', 'thermo']);
const selectionText = z.string().max(2000);
const sliceText = z
  .string()
  .max(64)
  .regex(/^\s*[-+]?\d*\s*(:\s*[-+]?\d*\s*){0,2}$/, 'start:stop:step with integers');

/**
 * Parameters of an analysis; each kind reads the ones it knows (the others are ignored), and
 * the defaults are those of the CLI command of the same name.
 */
export const analysisParams = z
  .object({
    /** Frames start:stop:step (Python slice; the stride is the step). */
    frames: sliceText.optional(),
    /** ps between frames, where the frames carry no times. */
    dt: z.number().positive().max(1e9).optional(),
    // rdf
    rmax: z.number().positive().max(1e4).optional(),
    bins: z.number().int().min(1).max(1_000_000).optional(),
    pair: z.string().max(64).optional(),
    // msd, vacf
    select: selectionText.optional(),
    fitStart: z.number().min(0).optional(),
    fitEnd: z.number().min(0).optional(),
    unwrap: z.enum(['auto', 'none']).optional(),
    alpha2: z.boolean().optional(),
    origins: z.enum(['first', 'all']).optional(),
    // rmsd, rmsf
    ref: z.number().int().optional(),
    fit: selectionText.optional(),
    measure: selectionText.optional(),
    massWeighted: z.boolean().optional(),
    // thermo
    source: z.enum(['auto', 'frames', 'log']).optional(),
    runs: sliceText.optional(),
  })
  .strict();

const analysisItem = z.object({ fileId, kind: analysisKind, params: analysisParams }).strict();

export const api = {
  'app.info': method<AppInfo>()(z.object({}).strict()),
  'files.open': method<OpenFile[]>()(z.object({ paths: z.array(path).min(1).max(256), jobId }).strict(), { job: true }),
  'files.list': method<OpenFile[]>()(z.object({}).strict()),
  'files.close': method<{ closed: boolean }>()(z.object({ id: fileId }).strict()),
  'files.uploadBegin': method<{ uploadId: string }>()(
    z
      .object({
        name: z
          .string()
          .min(1)
          .max(255)
          .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', 'a plain file name'),
        size: z
          .number()
          .int()
          .min(0)
          .max(64 * 2 ** 30),
      })
      .strict(),
  ),
  'files.uploadChunk': method<{ received: number }>()(
    z
      .object({
        uploadId: z.string().min(1).max(64),
        offset: z.number().int().min(0),
        data: z.instanceof(Uint8Array).refine((d) => d.length <= 8 * 2 ** 20, 'at most 8 MiB per chunk'),
      })
      .strict(),
  ),
  'files.uploadEnd': method<OpenFile>()(z.object({ uploadId: z.string().min(1).max(64), jobId }).strict(), {
    job: true,
  }),
  'frames.read': method<FrameData>()(z.object({ id: fileId, index: z.number().int().min(0) }).strict()),
  'jobs.cancel': method<{ cancelled: boolean }>()(z.object({ jobId: z.string().min(1).max(64) }).strict()),
  'analysis.run': method<AnalysisRunOutput>()(analysisItem.extend({ jobId }).strict(), { job: true }),
  'analysis.exportFigure': method<ExportedFigure>()(
    z
      .object({
        /** One curve (set) per item: the same analysis of several files overlaid. */
        items: z.array(analysisItem).min(1).max(32),
        format: z.enum(['svg', 'png', 'csv']),
        /** PNG pixels per figure pixel. */
        scale: z.number().positive().max(8).optional(),
        transparent: z.boolean().optional(),
        width: z.number().int().min(200).max(4000).optional(),
        height: z.number().int().min(150).max(4000).optional(),
        /** Columns to plot instead of the default ones (thermo quantities). */
        y: z.array(z.string().min(1).max(200)).max(16).optional(),
        jobId,
      })
      .strict(),
    { job: true },
  ),
} satisfies Record<MethodName, MethodSpec<z.ZodType, unknown>>;

export type Api = typeof api;
export type InputOf<M extends MethodName> = z.input<Api[M]['input']>;
export type OutputOf<M extends MethodName> = Api[M] extends MethodSpec<z.ZodType, infer O> ? O : never;

/** The client-side shape: one async function per method. */
export type ApiClient = { [M in MethodName]: (input: InputOf<M>) => Promise<OutputOf<M>> };

/** The server-side shape: one handler per method, given validated input. */
export type ApiHandlers = { [M in MethodName]: (input: z.output<Api[M]['input']>) => Promise<OutputOf<M>> };
