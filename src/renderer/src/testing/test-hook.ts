/**
 * A small read-only window into the app for end-to-end tests (e2e/*.spec.mjs): whether
 * start-up finished, what the viewer shows and where an atom lands on the canvas. It
 * exposes no actions (the benchmark only redraws what is shown), so it grants a page script
 * nothing the UI does not.
 */
import type { Workbench } from '../state/workbench';
import type { ScreenPoint } from '../viewer/structure-viewer';

/** The viewer side of the hook (StructureViewer implements it). */
export interface ViewerProbe {
  readonly atomCount: number;
  readonly frameIndex: number;
  readonly lastDrawMs: number;
  readonly drawCount: number;
  readonly firstAtomsAt: number | null;
  readonly idle: boolean;
  projectAtom(i: number): ScreenPoint | null;
  onDraw(listener: (info: { atoms: number }) => void): () => void;
  benchmark(frames: number, opts?: BenchmarkOptions): BenchmarkResult;
}

export interface BenchmarkOptions {
  newPositions?: boolean;
  bondMode?: 'impostor' | 'mesh';
  representation?: 'auto' | 'spacefill' | 'ball-and-stick' | 'licorice' | 'points';
}

export interface BenchmarkResult {
  msPerFrame: number;
  atoms: number;
  bonds: number;
}

export interface AtomscopeTestHook {
  /** Resolves when start-up (app.info + initial files) is done. */
  ready: Promise<void>;
  /** Resolves with performance.now() of the first draw that showed atoms. */
  firstAtoms: Promise<number>;
  atomCount(): number;
  frameIndex(): number;
  /** Canvas CSS pixels of atom i in the picture last drawn. */
  projectAtom(i: number): ScreenPoint | null;
  /** True when no frame request or draw is pending. */
  idle(): boolean;
  readonly lastDrawMs: number | null;
  /** Draws so far; constant while nothing changes (render on demand). */
  readonly drawCount: number;
  readonly firstAtomsAt: number | null;
  /** Draws `frames` pictures (camera orbiting), waiting for the GPU after each: ms per frame. */
  benchmark(frames: number, opts?: BenchmarkOptions): BenchmarkResult | null;
  /** The open files and the active one, as plain data. */
  files(): { id: string; name: string; atoms: number; frames: number; active: boolean }[];
}

declare global {
  interface Window {
    __atomscopeTest?: AtomscopeTestHook;
  }
}

export interface TestHookControl {
  /** Points the hook at the viewer; returns the detach function. */
  attachViewer(v: ViewerProbe): () => void;
}

export function installTestHook(wb: Workbench): TestHookControl {
  let viewer: ViewerProbe | null = null;
  let resolveFirst!: (t: number) => void;
  const firstAtoms = new Promise<number>((r) => (resolveFirst = r));
  let firstAt: number | null = null;
  const hook: AtomscopeTestHook = {
    ready: wb.ready,
    firstAtoms,
    atomCount: () => viewer?.atomCount ?? 0,
    frameIndex: () => viewer?.frameIndex ?? -1,
    projectAtom: (i) => viewer?.projectAtom(i) ?? null,
    idle: () =>
      (viewer?.idle ?? true) &&
      wb.state.tasks.length === 0 &&
      (wb.state.activeId === null || wb.state.shown.index === wb.state.frameTarget),
    get lastDrawMs() {
      return viewer?.lastDrawMs ?? null;
    },
    get drawCount() {
      return viewer?.drawCount ?? 0;
    },
    get firstAtomsAt() {
      return firstAt;
    },
    benchmark: (frames, opts) => viewer?.benchmark(frames, opts) ?? null,
    files: () =>
      wb.state.files.map((f) => ({
        id: f.id,
        name: f.name,
        atoms: f.atoms,
        frames: f.frames,
        active: f.id === wb.state.activeId,
      })),
  };
  window.__atomscopeTest = hook;
  return {
    attachViewer(v) {
      viewer = v;
      const off = v.onDraw((info) => {
        if (firstAt === null && info.atoms > 0) {
          firstAt = v.firstAtomsAt ?? performance.now();
          resolveFirst(firstAt);
        }
      });
      return () => {
        off();
        if (viewer === v) viewer = null;
      };
    },
  };
}
