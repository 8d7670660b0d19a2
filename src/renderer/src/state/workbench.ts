/**
 * The renderer's store: a small reactive state (plain data only: file summaries, indices,
 * messages, tasks) plus the actions that talk to the backend. Big data (frames as typed
 * arrays) and the Babylon viewer never enter reactive state: frames go straight from the
 * FrameFeed to the attached FrameSink.
 */
import { reactive } from 'vue';
import type { Backend } from '../api/client';
import { ApiError } from '../../../shared/errors';
import type { AppEvent, AppInfo, FrameData, OpenFile } from '../../../shared/types';
import { FrameFeed, type FrameRequest } from './frame-feed';
import { errorText } from './format';
import { uploadFile } from './upload';

/** What the workbench needs from a viewer (StructureViewer implements it). */
export interface FrameSink {
  showFrame(frame: FrameData, opts: { reframe?: boolean }): void;
  clear(): void;
  onDraw(listener: (info: { frameIndex: number; atoms: number; drawMs: number }) => void): () => void;
}

export type MessageLevel = 'error' | 'warning' | 'info';

export interface Message {
  id: number;
  level: MessageLevel;
  text: string;
  /** How many times the same text was reported in a row. */
  count: number;
}

export interface Task {
  id: string;
  label: string;
  phase: 'queued' | 'upload' | 'parse';
  /** In [0, 1], or null when unknown. */
  fraction: number | null;
  detail: string;
  cancellable: boolean;
}

export interface ShownFrame {
  fileId: string | null;
  index: number;
  atoms: number;
  /** ps, when the file records it. */
  time: number | null;
  step: number | null;
}

export interface WorkbenchState {
  connection: 'connecting' | 'ready' | 'failed';
  info: AppInfo | null;
  files: OpenFile[];
  activeId: string | null;
  /** The frame the slider asks for. */
  frameTarget: number;
  /** The frame on screen. */
  shown: ShownFrame;
  playing: boolean;
  /** Playback rate (frames per second, at most; slower when frames take longer to arrive). */
  fps: number;
  tasks: Task[];
  messages: Message[];
  lastDrawMs: number | null;
  /** Incremented when something (menu, shortcut) asks for the Open dialog. */
  openDialogRequests: number;
  /** Incremented when the menu asks for the figure export dialog. */
  exportFigureRequests: number;
}

const MAX_MESSAGES = 8;

function newJobId(): string {
  const b = new Uint8Array(8);
  crypto.getRandomValues(b);
  return `r-${Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')}`;
}

export class Workbench {
  readonly state: WorkbenchState = reactive({
    connection: 'connecting',
    info: null,
    files: [],
    activeId: null,
    frameTarget: 0,
    shown: { fileId: null, index: -1, atoms: 0, time: null, step: null },
    playing: false,
    fps: 15,
    tasks: [],
    messages: [],
    lastDrawMs: null,
    openDialogRequests: 0,
    exportFigureRequests: 0,
  }) as WorkbenchState;

  private sink: FrameSink | null = null;
  private detachSink: (() => void) | null = null;
  private readonly feed: FrameFeed;
  /** Last frame handed to the sink, replayed when a viewer attaches late. */
  private delivered: { fileId: string; frame: FrameData } | null = null;
  private needsReframe = true;
  private readonly lastFrameOf = new Map<string, number>();
  private readonly cancels = new Map<string, () => void>();
  private readonly jobTasks = new Map<string, string>();
  private nextMessageId = 1;
  private playTimer: ReturnType<typeof setTimeout> | null = null;
  private playTickAt = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly unsubscribe: () => void;
  private readyResolve!: () => void;
  /** Resolves when start-up (backend info + initial files) is done, successful or not. */
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));

  constructor(readonly backend: Backend) {
    this.feed = new FrameFeed({
      read: (id, index) => this.backend.call('frames.read', { id, index }),
      deliver: (req, frame) => this.deliver(req, frame),
      fail: (req, e) => {
        this.stopPlayback();
        this.report(e);
        if (req.fileId === this.state.activeId) this.state.frameTarget = Math.max(0, this.state.shown.index);
      },
    });
    this.unsubscribe = backend.onEvent((e) => this.onEvent(e));
  }

  get activeFile(): OpenFile | null {
    return this.state.files.find((f) => f.id === this.state.activeId) ?? null;
  }

  // ---- start-up -------------------------------------------------------------------------

  async init(): Promise<void> {
    try {
      const info = await this.backend.call('app.info', {});
      performance.mark('atomscope:app-info');
      this.state.info = info;
      this.state.connection = 'ready';
      const already = await this.backend.call('files.list', {});
      this.addFiles(already);
      const openPaths = new Set(already.map((f) => f.path));
      const initial = info.initialFiles.filter((p) => !openPaths.has(p));
      if (initial.length > 0) await this.openPaths(initial);
      else if (already.length > 0 && !this.state.activeId) this.select(already[0]!.id);
    } catch (e) {
      if (this.state.connection === 'connecting') this.state.connection = 'failed';
      this.report(e);
    } finally {
      this.readyResolve();
    }
  }

  dispose(): void {
    this.stopPlayback();
    this.unsubscribe();
    this.detachSink?.();
  }

  // ---- viewer ---------------------------------------------------------------------------

  attachViewer(sink: FrameSink): () => void {
    this.detachSink?.();
    this.sink = sink;
    const off = sink.onDraw((info) => this.onDrawn(info));
    this.detachSink = () => {
      off();
      if (this.sink === sink) this.sink = null;
      this.detachSink = null;
    };
    if (this.delivered && this.delivered.fileId === this.state.activeId) {
      try {
        sink.showFrame(this.delivered.frame, { reframe: true });
        this.needsReframe = false;
      } catch (e) {
        this.report(e);
      }
    }
    return () => this.detachSink?.();
  }

  private deliver(req: FrameRequest, frame: FrameData): void {
    if (req.fileId !== this.state.activeId) return;
    this.delivered = { fileId: req.fileId, frame };
    this.lastFrameOf.set(req.fileId, frame.index);
    if (performance.getEntriesByName('atomscope:first-frame').length === 0) performance.mark('atomscope:first-frame');
    if (!this.sink) return;
    try {
      this.sink.showFrame(frame, { reframe: this.needsReframe });
      this.needsReframe = false;
    } catch (e) {
      this.stopPlayback();
      this.report(e);
    }
  }

  private onDrawn(info: { frameIndex: number; atoms: number; drawMs: number }): void {
    this.state.lastDrawMs = Math.round(info.drawMs * 100) / 100;
    const d = this.delivered;
    const match = d && d.frame.index === info.frameIndex && d.fileId === this.state.activeId;
    this.state.shown = {
      fileId: match ? d.fileId : null,
      index: info.frameIndex,
      atoms: info.atoms,
      time: match && d.frame.time !== undefined ? d.frame.time : null,
      step: match && d.frame.step !== undefined ? d.frame.step : null,
    };
    if (this.state.playing) this.scheduleNextPlayFrame();
  }

  // ---- files ----------------------------------------------------------------------------

  /**
   * Opens files by path (Electron drop or dialog, command line) in ONE files.open call, so
   * that the backend pairs a trajectory with a topology among them. If the call fails, the
   * files it did not get to are opened one by one, so one bad file does not hide the others.
   */
  async openPaths(paths: string[]): Promise<void> {
    if (paths.length === 0) return;
    let failure: unknown = null;
    const opened = await this.runOpen(groupLabel(paths.map(baseName)), async (jobId) => {
      try {
        return await this.backend.call('files.open', { paths, jobId });
      } catch (e) {
        if (paths.length === 1 || isCancelled(e)) throw e;
        failure = e;
        return [];
      }
    });
    if (failure === null) {
      if (opened) this.showBatch(opened);
      return;
    }
    // Which files did the batch open before it failed? The rest go one at a time.
    let open: Set<string>;
    try {
      const list = await this.backend.call('files.list', {});
      this.addFiles(list);
      open = new Set(list.map((f) => f.path));
    } catch {
      open = new Set();
    }
    const rest = paths.filter((p) => !open.has(p));
    // All open: what failed was the pairing, and its error says so. Otherwise the file that
    // failed is among the rest and reports its own error again when opened alone.
    if (rest.length === 0) this.report(failure);
    const results: OpenFile[] = this.state.files.filter((f) => paths.includes(f.path));
    for (const p of rest) {
      const r = await this.runOpen(baseName(p), (jobId) => this.backend.call('files.open', { paths: [p], jobId }));
      if (r) results.push(...r);
    }
    this.showBatch(results);
  }

  /** Opens dropped or picked files: by path in Electron (one call for all), by upload in the browser. */
  async openDropped(files: File[]): Promise<void> {
    if (files.length === 0) return;
    const paths: string[] = [];
    const uploads: File[] = [];
    for (const f of files) {
      const p = this.backend.mode === 'electron' ? this.backend.pathForFile(f) : null;
      if (p) paths.push(p);
      else uploads.push(f);
    }
    const byPath = this.openPaths(paths);
    // Uploads go one after another (one socket; the first file shows up soonest), all listed
    // at once. Structure files go first, so that a trajectory uploaded after its topology is
    // paired as it opens.
    uploads.sort((a, b) => Number(looksLikeCoordinates(a.name)) - Number(looksLikeCoordinates(b.name)));
    const queued = uploads.map((f) => ({ file: f, taskId: this.addTask(f.name, 'queued') }));
    const opened: OpenFile[] = [];
    let shown: string | null = null;
    for (const { file, taskId } of queued) {
      if (!this.state.tasks.some((t) => t.id === taskId)) continue; // cancelled while waiting
      const f = await this.runUpload(file, taskId);
      if (!f) continue;
      opened.push(f);
      if (shown === null) {
        shown = f.id;
        if (f.id !== this.state.activeId) this.select(f.id);
      }
    }
    // Once all are in, a trajectory paired with a topology from the same drop is the one to
    // look at, unless the user picked another file meanwhile.
    if (shown !== null && this.state.activeId === shown) this.showBatch(opened);
    await byPath;
  }

  private async runOpen(label: string, open: (jobId: string) => Promise<OpenFile[]>): Promise<OpenFile[] | null> {
    const jobId = newJobId();
    const taskId = this.addTask(label, 'parse');
    this.jobTasks.set(jobId, taskId);
    this.cancels.set(taskId, () => {
      this.patchTask(taskId, { cancellable: false, detail: 'cancelling' });
      void this.backend.call('jobs.cancel', { jobId }).catch(() => undefined);
    });
    this.patchTask(taskId, { cancellable: true, detail: 'reading' });
    try {
      const files = await open(jobId);
      if (files.length > 0) performance.mark('atomscope:file-opened');
      this.addFiles(files);
      return files;
    } catch (e) {
      this.reportOpenFailure(label, e);
      return null;
    } finally {
      this.jobTasks.delete(jobId);
      this.removeTask(taskId);
    }
  }

  private async runUpload(file: File, taskId: string): Promise<OpenFile | null> {
    const controller = new AbortController();
    const jobId = newJobId();
    this.cancels.set(taskId, () => {
      controller.abort();
      this.patchTask(taskId, { cancellable: false, detail: 'cancelling' });
      void this.backend.call('jobs.cancel', { jobId }).catch(() => undefined);
    });
    this.patchTask(taskId, { phase: 'upload', fraction: 0, cancellable: true, detail: 'uploading' });
    this.jobTasks.set(jobId, taskId);
    try {
      const f = await uploadFile(this.backend, file, {
        signal: controller.signal,
        jobId,
        onProgress: (sent, total) => this.patchTask(taskId, { fraction: total > 0 ? sent / total : 1 }),
        onSent: () => this.patchTask(taskId, { phase: 'parse', fraction: null, detail: 'reading' }),
      });
      this.addFiles([f]);
      return f;
    } catch (e) {
      this.reportOpenFailure(file.name, e);
      return null;
    } finally {
      this.jobTasks.delete(jobId);
      this.removeTask(taskId);
    }
  }

  /** A cancelled open is a quiet note naming what was cancelled; anything else is an error. */
  private reportOpenFailure(label: string, e: unknown): void {
    if (!isCancelled(e)) {
      this.report(e);
      return;
    }
    // The upload names its own cancel ("x.xyz: upload cancelled"); the backend's names a job.
    const text = errorText(e);
    this.notify('info', text.startsWith(`${label}:`) ? text : `${label}: cancelled`);
  }

  /**
   * Shows the file to look at among files opened together: a trajectory that took its
   * topology from the same batch (md.xtc dropped with md.gro), else the first one.
   */
  private showBatch(opened: OpenFile[]): void {
    // The store's copy is the newest: a pairing made after a file opened updates it there.
    const files = opened.map((f) => this.state.files.find((x) => x.id === f.id) ?? f);
    const ids = new Set(files.map((f) => f.id));
    const paired = files.find((f) => f.topology && ids.has(f.topology.id));
    const pick = paired ?? files[0];
    if (pick && pick.id !== this.state.activeId) this.select(pick.id);
  }

  private addFiles(files: OpenFile[]): void {
    for (const f of files) {
      const i = this.state.files.findIndex((x) => x.id === f.id);
      if (i >= 0) {
        const before = this.state.files[i]!;
        this.state.files[i] = f;
        // Paired (or re-paired) after it opened: its frames now carry other elements.
        if (before.topology?.id !== f.topology?.id) this.framesChanged(f.id);
        continue;
      }
      this.state.files.push(f);
      for (const w of f.warnings) this.notify('warning', `${f.name}: ${w}`);
    }
  }

  /** Drops a file's cached frames and, when it is on screen, reads the frame shown again. */
  private framesChanged(id: string): void {
    this.feed.dropFile(id);
    if (this.state.activeId === id) {
      const f = this.activeFile;
      if (f && f.frames > 0) this.feed.request(id, Math.min(this.state.frameTarget, f.frames - 1));
    }
  }

  select(id: string): void {
    const f = this.state.files.find((x) => x.id === id);
    if (!f) return;
    this.stopPlayback();
    if (this.state.activeId !== id) this.needsReframe = true;
    this.state.activeId = id;
    const index = Math.min(this.lastFrameOf.get(id) ?? 0, Math.max(0, f.frames - 1));
    this.state.frameTarget = index;
    if (f.frames > 0) this.feed.request(id, index);
    else this.sink?.clear();
  }

  async close(id: string): Promise<void> {
    const i = this.state.files.findIndex((x) => x.id === id);
    if (i < 0) return;
    try {
      await this.backend.call('files.close', { id });
    } catch (e) {
      this.report(e);
    }
    this.removeFile(id);
  }

  private removeFile(id: string): void {
    const i = this.state.files.findIndex((x) => x.id === id);
    if (i < 0) return;
    this.state.files.splice(i, 1);
    this.feed.dropFile(id);
    this.lastFrameOf.delete(id);
    // Trajectories that took their elements from it are read without it from now on.
    for (const f of this.state.files) if (f.topology?.id === id) this.framesChanged(f.id);
    if (this.state.activeId !== id) return;
    this.stopPlayback();
    this.state.activeId = null;
    this.delivered = null;
    const next = this.state.files[Math.min(i, this.state.files.length - 1)];
    if (next) this.select(next.id);
    else {
      this.sink?.clear();
      this.state.shown = { fileId: null, index: -1, atoms: 0, time: null, step: null };
    }
  }

  private async refreshFiles(): Promise<void> {
    try {
      const list = await this.backend.call('files.list', {});
      const ids = new Set(list.map((f) => f.id));
      for (const f of [...this.state.files]) if (!ids.has(f.id)) this.removeFile(f.id);
      this.addFiles(list);
    } catch {
      // A failed refresh changes nothing; the next event retries.
    }
  }

  // ---- frames and playback --------------------------------------------------------------

  setFrame(index: number): void {
    const f = this.activeFile;
    if (!f || f.frames === 0) return;
    const i = Math.max(0, Math.min(f.frames - 1, Math.round(index)));
    this.state.frameTarget = i;
    this.feed.request(f.id, i);
  }

  togglePlayback(): void {
    if (this.state.playing) this.stopPlayback();
    else this.startPlayback();
  }

  startPlayback(): void {
    const f = this.activeFile;
    if (!f || f.frames < 2) return;
    this.state.playing = true;
    this.playTick();
  }

  stopPlayback(): void {
    this.state.playing = false;
    if (this.playTimer !== null) clearTimeout(this.playTimer);
    this.playTimer = null;
  }

  private playTick(): void {
    this.playTimer = null;
    const f = this.activeFile;
    if (!this.state.playing || !f) return;
    this.playTickAt = performance.now();
    this.setFrame((this.state.frameTarget + 1) % f.frames);
  }

  /** The next playback frame is asked for only once the previous one is on screen. */
  private scheduleNextPlayFrame(): void {
    if (this.playTimer !== null || this.state.shown.index !== this.state.frameTarget) return;
    const wait = Math.max(0, 1000 / this.state.fps - (performance.now() - this.playTickAt));
    this.playTimer = setTimeout(() => this.playTick(), wait);
  }

  // ---- tasks, messages, events -----------------------------------------------------------

  private addTask(label: string, phase: Task['phase']): string {
    const id = newJobId();
    this.state.tasks.push({
      id,
      label,
      phase,
      fraction: null,
      detail: phase === 'queued' ? 'waiting' : '',
      cancellable: true,
    });
    if (phase === 'queued') this.cancels.set(id, () => this.removeTask(id));
    return id;
  }

  private patchTask(id: string, patch: Partial<Task>): void {
    const t = this.state.tasks.find((x) => x.id === id);
    if (t) Object.assign(t, patch);
  }

  private removeTask(id: string): void {
    const i = this.state.tasks.findIndex((x) => x.id === id);
    if (i >= 0) this.state.tasks.splice(i, 1);
    this.cancels.delete(id);
  }

  cancelTask(id: string): void {
    this.cancels.get(id)?.();
  }

  /** Shows an error (or any thrown value) in the message area. Cancellations are informational. */
  report(e: unknown): void {
    this.notify(isCancelled(e) ? 'info' : 'error', errorText(e));
  }

  notify(level: MessageLevel, text: string): void {
    const last = this.state.messages[this.state.messages.length - 1];
    if (last && last.text === text && last.level === level) {
      last.count++;
      return;
    }
    this.state.messages.push({ id: this.nextMessageId++, level, text, count: 1 });
    if (this.state.messages.length > MAX_MESSAGES)
      this.state.messages.splice(0, this.state.messages.length - MAX_MESSAGES);
  }

  dismiss(id: number): void {
    const i = this.state.messages.findIndex((m) => m.id === id);
    if (i >= 0) this.state.messages.splice(i, 1);
  }

  dismissAll(): void {
    this.state.messages.splice(0);
  }

  private onEvent(e: AppEvent): void {
    switch (e.type) {
      case 'job.progress': {
        const taskId = this.jobTasks.get(e.jobId);
        if (taskId) this.patchTask(taskId, { phase: 'parse', fraction: e.fraction, detail: e.message });
        break;
      }
      case 'files.changed':
        if (this.refreshTimer === null) {
          this.refreshTimer = setTimeout(() => {
            this.refreshTimer = null;
            void this.refreshFiles();
          }, 100);
        }
        break;
      case 'files.openRequested':
        void this.openPaths(e.paths);
        break;
      case 'menu':
        if (e.command === 'open') this.state.openDialogRequests++;
        else if (e.command === 'export-figure') this.state.exportFigureRequests++;
        break;
    }
  }
}

function isCancelled(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'cancelled';
}

/** A task label for files opened together: their names, or a count when there are many. */
function groupLabel(names: string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names[0]} and ${names.length - 1} more files`;
}

/** Coordinate-only trajectory formats by extension (they take elements from a topology). */
const COORDINATE_EXTENSIONS = /\.(xtc|trr|dcd|lammpstrj|dump)(\.gz)?$/i;

function looksLikeCoordinates(name: string): boolean {
  return COORDINATE_EXTENSIONS.test(name);
}

function baseName(p: string): string {
  return p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1);
}
