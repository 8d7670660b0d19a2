/**
 * The dashboards' store: one panel per analysis (its parameter form, the files it overlays,
 * a run per file with progress and cancel) and the actions that ask the backend. Results are
 * typed arrays and stay out of Vue's deep reactivity (markRaw): a panel watches its runs'
 * `version` to redraw.
 */
import { markRaw, reactive } from 'vue';
import type { Backend } from '../api/client';
import type { InputOf } from '../../../shared/api';
import { ApiError } from '../../../shared/errors';
import type { AnalysisKind, AnalysisResult, AppEvent, OpenFile } from '../../../shared/types';
import { errorText } from './format';

export const ANALYSIS_KINDS: readonly AnalysisKind[] = ['rdf', 'msd', 'vacf', 'rmsd', 'rmsf', 'thermo'];

export const KIND_LABELS: Record<AnalysisKind, string> = {
  rdf: 'g(r)',
  msd: 'MSD',
  vacf: 'VACF',
  rmsd: 'RMSD',
  rmsf: 'RMSF',
  thermo: 'Thermo',
};

/** Form fields, as typed (strings: an empty field means the default). */
export interface PanelForm {
  first: string;
  last: string;
  stride: string;
  dt: string;
  rmax: string;
  bins: string;
  pair: string;
  select: string;
  fitStart: string;
  fitEnd: string;
  origins: 'first' | 'all';
  ref: string;
  fit: string;
  measure: string;
  source: 'auto' | 'frames' | 'log';
  runs: string;
}

export type RunStatus = 'running' | 'done' | 'error' | 'cancelled';

export interface FileRun {
  fileId: string;
  fileName: string;
  status: RunStatus;
  /** In [0, 1], or null before the first progress report. */
  fraction: number | null;
  message: string;
  error: string | null;
  jobId: string | null;
  cached: boolean;
  ms: number;
  /** Raw (non-reactive) result; `version` changes when it does. */
  result: AnalysisResult | null;
  version: number;
}

export interface PanelState {
  kind: AnalysisKind;
  form: PanelForm;
  /** Files overlaid in this panel, in the order chosen; empty = the active file. */
  fileIds: string[];
  runs: Record<string, FileRun>;
  /** Plotted columns (thermo: the quantities picked); empty = the result's default. */
  y: string[];
}

export interface AnalysesState {
  panels: Record<AnalysisKind, PanelState>;
  active: AnalysisKind;
  dockOpen: boolean;
  /** Dock height as a fraction of the centre column. */
  dockSize: number;
  exportScale: number;
  exportTransparent: boolean;
}

type Params = InputOf<'analysis.run'>['params'];

function emptyForm(): PanelForm {
  return {
    first: '',
    last: '',
    stride: '',
    dt: '',
    rmax: '',
    bins: '',
    pair: '',
    select: '',
    fitStart: '',
    fitEnd: '',
    origins: 'first',
    ref: '0',
    fit: '',
    measure: '',
    source: 'auto',
    runs: '',
  };
}

function newJobId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return `a-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** A form field as a number, or undefined when empty; throws naming the field when not a number. */
function numberField(value: string, label: string, integer = false): number | undefined {
  const t = value.trim();
  if (t === '') return undefined;
  const n = Number(t);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new Error(`${label}: "${value}" is not ${integer ? 'an integer' : 'a number'}`);
  }
  return n;
}

/** The API parameters of a panel's form: only what its kind reads, empty fields left to the defaults. */
export function formParams(kind: AnalysisKind, form: PanelForm): Params {
  const p: Params = {};
  const first = numberField(form.first, 'first frame', true);
  const last = numberField(form.last, 'last frame', true);
  const stride = numberField(form.stride, 'stride', true);
  if (stride !== undefined && stride < 1) throw new Error('stride: at least 1');
  if (first !== undefined || last !== undefined || stride !== undefined) {
    // "last" is inclusive in the form, the slice's stop is not.
    const stop = last === undefined ? '' : last === -1 ? '' : String(last + 1);
    p.frames = `${first ?? ''}:${stop}:${stride ?? ''}`;
  }
  const text = (v: string): string | undefined => (v.trim() === '' ? undefined : v.trim());
  const set = <K extends keyof Params>(key: K, value: Params[K] | undefined): void => {
    if (value !== undefined) p[key] = value;
  };
  if (kind === 'msd' || kind === 'vacf') set('dt', numberField(form.dt, 'dt'));
  if (kind === 'rdf') {
    set('rmax', numberField(form.rmax, 'r max'));
    set('bins', numberField(form.bins, 'bins', true));
    set('pair', text(form.pair));
  }
  if (kind === 'msd') {
    set('fitStart', numberField(form.fitStart, 'fit start'));
    set('fitEnd', numberField(form.fitEnd, 'fit end'));
  }
  if (kind === 'msd' || kind === 'vacf') set('select', text(form.select));
  if (kind === 'vacf') p.origins = form.origins;
  if (kind === 'rmsd' || kind === 'rmsf') {
    set('ref', numberField(form.ref, 'reference frame', true));
    set('fit', text(form.fit));
    set('measure', text(form.measure));
  }
  if (kind === 'thermo') {
    p.source = form.source;
    set('runs', text(form.runs));
  }
  return p;
}

export interface SaveTarget {
  /** Hands bytes to the user as a file (a download in the browser, the save dialog in Electron). */
  save(fileName: string, mime: string, bytes: Uint8Array): void;
}

/** The browser's way: a Blob behind a temporary link with a download name. */
export const downloadSave: SaveTarget = {
  save(fileName, mime, bytes) {
    const blob = new Blob([bytes.slice().buffer as ArrayBuffer], { type: mime });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.style.display = 'none';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

export class AnalysesStore {
  readonly state: AnalysesState;
  private readonly jobs = new Map<string, { kind: AnalysisKind; fileId: string }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly backend: Backend,
    private readonly files: () => OpenFile[],
    private readonly report: (e: unknown) => void,
    private readonly saver: SaveTarget = downloadSave,
    private readonly activeId: () => string | null = () => null,
  ) {
    const panels = Object.fromEntries(
      ANALYSIS_KINDS.map((kind) => [kind, { kind, form: emptyForm(), fileIds: [], runs: {}, y: [] } as PanelState]),
    ) as Record<AnalysisKind, PanelState>;
    this.state = reactive({
      panels,
      active: 'rdf',
      dockOpen: false,
      dockSize: 0.42,
      exportScale: 2,
      exportTransparent: false,
    }) as AnalysesState;
    this.unsubscribe = backend.onEvent((e) => this.onEvent(e));
  }

  dispose(): void {
    this.unsubscribe();
  }

  /** The files a panel overlays: its chosen ones that are still open, else the active file. */
  panelFiles(kind: AnalysisKind, activeId: string | null): OpenFile[] {
    const open = this.files();
    const chosen = this.state.panels[kind].fileIds
      .map((id) => open.find((f) => f.id === id))
      .filter((f): f is OpenFile => f !== undefined);
    if (chosen.length > 0) return chosen;
    const active = open.find((f) => f.id === activeId);
    return active ? [active] : [];
  }

  toggleFile(kind: AnalysisKind, fileId: string, activeId: string | null): void {
    const panel = this.state.panels[kind];
    const current = this.panelFiles(kind, activeId).map((f) => f.id);
    panel.fileIds = current.includes(fileId) ? current.filter((id) => id !== fileId) : [...current, fileId];
  }

  /** Runs the panel's analysis on each of its files (in parallel; the compute host queues them). */
  async run(kind: AnalysisKind, activeId: string | null): Promise<void> {
    const panel = this.state.panels[kind];
    let params: Params;
    try {
      params = formParams(kind, panel.form);
    } catch (e) {
      this.report(e);
      return;
    }
    const targets = this.panelFiles(kind, activeId);
    // Runs of files no longer overlaid go; those still running are cancelled.
    for (const id of Object.keys(panel.runs)) {
      if (!targets.some((f) => f.id === id)) {
        this.cancelRun(panel.runs[id]!);
        delete panel.runs[id];
      }
    }
    await Promise.all(targets.map((f) => this.runOne(kind, f, params)));
  }

  private async runOne(kind: AnalysisKind, file: OpenFile, params: Params): Promise<void> {
    const panel = this.state.panels[kind];
    const previous = panel.runs[file.id];
    if (previous) this.cancelRun(previous);
    const jobId = newJobId();
    panel.runs[file.id] = {
      fileId: file.id,
      fileName: file.name,
      status: 'running',
      fraction: null,
      message: 'queued',
      error: null,
      jobId,
      cached: false,
      ms: 0,
      result: previous?.result ?? null,
      version: previous?.version ?? 0,
    };
    this.jobs.set(jobId, { kind, fileId: file.id });
    try {
      const out = await this.backend.call('analysis.run', { fileId: file.id, kind, params, jobId });
      const run = panel.runs[file.id];
      if (!run || run.jobId !== jobId) return;
      Object.assign(run, {
        status: 'done',
        fraction: 1,
        message: out.cached ? 'from the cache' : `${(out.ms / 1000).toFixed(out.ms < 1000 ? 2 : 1)} s`,
        cached: out.cached,
        ms: out.ms,
        result: markRaw(out.result),
        version: run.version + 1,
        jobId: null,
      });
    } catch (e) {
      const run = panel.runs[file.id];
      if (!run || run.jobId !== jobId) return;
      const cancelled = e instanceof ApiError && e.code === 'cancelled';
      Object.assign(run, {
        status: cancelled ? 'cancelled' : 'error',
        error: cancelled ? null : errorText(e),
        message: cancelled ? 'cancelled' : 'failed',
        jobId: null,
      });
      if (!cancelled) this.report(e);
    } finally {
      this.jobs.delete(jobId);
    }
  }

  private cancelRun(run: FileRun): void {
    if (run.status !== 'running' || !run.jobId) return;
    run.message = 'cancelling';
    void this.backend.call('jobs.cancel', { jobId: run.jobId }).catch(() => undefined);
  }

  cancel(kind: AnalysisKind): void {
    for (const run of Object.values(this.state.panels[kind].runs)) this.cancelRun(run);
  }

  isRunning(kind: AnalysisKind): boolean {
    return Object.values(this.state.panels[kind].runs).some((r) => r.status === 'running');
  }

  /** Results to draw, in the panel's file order. */
  results(kind: AnalysisKind, activeId: string | null): FileRun[] {
    const panel = this.state.panels[kind];
    return this.panelFiles(kind, activeId)
      .map((f) => panel.runs[f.id])
      .filter((r): r is FileRun => r !== undefined && r.result !== null);
  }

  setExport(options: { scale?: number; transparent?: boolean }): void {
    if (options.scale !== undefined && options.scale > 0) this.state.exportScale = options.scale;
    if (options.transparent !== undefined) this.state.exportTransparent = options.transparent;
  }

  /** Exports the panel's figure (the backend draws it as the CLI does) or its CSV, then saves it. */
  async export(kind: AnalysisKind, format: 'svg' | 'png' | 'csv', activeId: string | null): Promise<void> {
    const panel = this.state.panels[kind];
    try {
      const params = formParams(kind, panel.form);
      const files = this.panelFiles(kind, activeId).filter((f) => panel.runs[f.id]?.status === 'done');
      if (files.length === 0) throw new Error(`${KIND_LABELS[kind]}: run the analysis first`);
      const out = await this.backend.call('analysis.exportFigure', {
        items: files.map((f) => ({ fileId: f.id, kind, params })),
        format,
        ...(format === 'png' ? { scale: this.state.exportScale } : {}),
        ...(format !== 'csv' ? { transparent: this.state.exportTransparent } : {}),
        ...(panel.y.length > 0 ? { y: panel.y.slice() } : {}),
      });
      this.saver.save(out.fileName, out.mime, out.bytes);
    } catch (e) {
      this.report(e);
    }
  }

  private onEvent(e: AppEvent): void {
    if (e.type === 'menu' && e.command === 'export-figure') {
      // File > Export Figure: the dashboard on screen, as PNG at the chosen scale.
      if (this.state.dockOpen) void this.export(this.state.active, 'png', this.activeId());
      else this.report(new Error('Export Figure: open an analysis in the Analyses dock first'));
      return;
    }
    if (e.type !== 'job.progress') return;
    const job = this.jobs.get(e.jobId);
    if (!job) return;
    const run = this.state.panels[job.kind].runs[job.fileId];
    if (!run || run.jobId !== e.jobId || run.status !== 'running') return;
    run.fraction = e.fraction;
    run.message = e.message;
  }
}
