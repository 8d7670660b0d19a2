/**
 * The 3D structure viewer: a plain class around one Babylon engine + scene, kept out of Vue
 * reactivity (components hold it in a plain variable, never in reactive state; what the UI
 * shows of it, legends and picks, goes out as plain data through listeners).
 *
 * Atoms are GPU sphere impostors and bonds cylinder impostors (atoms.ts, bonds.ts,
 * shaders.ts) reading one shared position texture: a new trajectory frame is one texture
 * upload; colours and radii are rewritten only when the elements, the colouring or the
 * representation change.
 *
 * Engine: no MSAA (software WebGL in tests is slow with it), preserveDrawingBuffer so that
 * tests can read pixels, no device-ratio upscaling. Rendering is on demand: a new frame, a
 * camera move, an option change or a resize schedules one draw. Figures are rendered
 * offscreen at the size asked for (renderImage), not grabbed from the canvas.
 */
import { Engine } from '@babylonjs/core/Engines/engine';
import { Scene } from '@babylonjs/core/scene';
import { Camera } from '@babylonjs/core/Cameras/camera';
import type { ArcRotateCamera } from '@babylonjs/core/Cameras/arcRotateCamera';
import { Color4 } from '@babylonjs/core/Maths/math.color';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { RenderTargetTexture } from '@babylonjs/core/Materials/Textures/renderTargetTexture';
import { Constants } from '@babylonjs/core/Engines/constants';
import { PointerEventTypes } from '@babylonjs/core/Events/pointerEvents';
import type { FrameData } from '../../../shared/types';
import { AtomsLayer } from './atoms';
import { BondsLayer, type BondMode } from './bonds';
import { CellLayer, isDrawableCell } from './cell';
import { boundingSphere, createCamera, fitClipPlanes, frameSphere } from './camera';
import { OnDemandLoop } from './on-demand';
import { PositionTexture } from './position-texture';
import { SceneUniforms } from './scene-uniforms';
import {
  atomRadii,
  colorAtoms,
  colorOptions,
  colorsFollowPositions,
  DEFAULT_VIEW_OPTIONS,
  parseHexColor,
  representationStyle,
  resolveRepresentation,
  type ColorOption,
  type Legend,
  type Representation,
  type RepresentationChoice,
  type ViewOptions,
} from './appearance';

/** What a draw put on screen. */
export interface DrawInfo {
  /** Frame index now visible (-1: none). */
  frameIndex: number;
  atoms: number;
  /** CPU time of the draw call in ms (scene.render; the GPU finishes asynchronously). */
  drawMs: number;
}

export interface ScreenPoint {
  /** CSS pixels from the canvas's top-left corner. */
  x: number;
  y: number;
  /** Normalised depth in [0, 1] (0 at the near plane). */
  depth: number;
}

/** The frame currently drawn (the fields the viewer uses). */
export type ViewerFrame = Pick<FrameData, 'index' | 'numbers' | 'positions' | 'cell'> &
  Partial<Pick<FrameData, 'bonds' | 'atomProperties' | 'atomLabels'>>;

/** What the UI shows about the current look (plain data). */
export interface AppearanceInfo {
  representation: Representation;
  legend: Legend | null;
  colorOptions: ColorOption[];
  bonds: number;
}

/** A click on the canvas: the atom under it (null: none) and whether it extends a selection. */
export interface PickEvent {
  atom: number | null;
  extend: boolean;
}

export interface ImageRequest {
  width: number;
  height: number;
  transparent: boolean;
}

/** Largest figure side (px): WebGL implementations guarantee render targets of at least this on desktop GPUs. */
export const MAX_IMAGE_SIZE = 8192;

const EMPTY_U32 = new Uint32Array(0);

export class StructureViewer {
  private readonly engine: Engine;
  private readonly scene: Scene;
  private readonly camera: ArcRotateCamera;
  private readonly uniforms = new SceneUniforms();
  private readonly positionTexture: PositionTexture;
  private readonly atoms: AtomsLayer;
  private bondLayers: Partial<Record<BondMode, BondsLayer>> = {};
  private bondMode: BondMode = 'impostor';
  private readonly cell: CellLayer;
  private readonly loop: OnDemandLoop;
  private readonly resizeObserver: ResizeObserver;
  private readonly listeners = new Set<(info: DrawInfo) => void>();
  private readonly renderListeners = new Set<() => void>();
  private readonly appearanceListeners = new Set<(info: AppearanceInfo) => void>();
  private readonly pickListeners = new Set<(e: PickEvent) => void>();
  private readonly lastView = new Float32Array(16);
  /** Frame index set but not yet on screen. */
  private pendingIndex: number | null = null;
  private shownIndex = -1;
  private sceneSize = 10;
  private framed = false;

  // The frame on screen and what was derived from it.
  private frame: ViewerFrame | null = null;
  private numbers: Uint8Array = new Uint8Array(0);
  private positions: Float32Array = new Float32Array(0);
  private radii: Float32Array = new Float32Array(0);
  private colors: Uint8Array = new Uint8Array(0);
  private bonds: Uint32Array = EMPTY_U32;
  private count = 0;
  private options: ViewOptions = { ...DEFAULT_VIEW_OPTIONS };
  private representation: Representation = 'spacefill';
  private legend: Legend | null = null;
  /** Colormap range in use (kept over frames so that colours mean the same while playing). */
  private range: [number, number] | null = null;
  private pointer: { x: number; y: number; t: number } | null = null;
  /** Periodic axes of the file shown (its summary's pbc); null: all axes of a cell. */
  private pbc: readonly boolean[] | null = null;

  /** CPU time of the latest draw (ms). */
  lastDrawMs = 0;
  /** Number of draws so far (render on demand: constant while nothing changes). */
  drawCount = 0;
  /** performance.now() when atoms were first on screen; null before. */
  firstAtomsAt: number | null = null;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.engine = new Engine(
      canvas,
      false,
      {
        preserveDrawingBuffer: true,
        stencil: false,
        antialias: false,
        failIfMajorPerformanceCaveat: false,
        powerPreference: 'high-performance',
      },
      false,
    );
    const scene = new Scene(this.engine);
    scene.useRightHandedSystem = true;
    scene.skipPointerMovePicking = true;
    scene.skipPointerDownPicking = true;
    scene.skipPointerUpPicking = true;
    this.scene = scene;
    this.camera = createCamera(scene);

    this.positionTexture = new PositionTexture(scene);
    this.atoms = new AtomsLayer(scene, this.positionTexture, this.uniforms);
    this.cell = new CellLayer(scene);
    this.cell.warmUp();
    this.applyBackground();
    this.loop = new OnDemandLoop(() => this.draw());

    scene.onPointerObservable.add((info) => {
      const e = info.event as PointerEvent;
      if (info.type === PointerEventTypes.POINTERDOWN && e.button === 0) {
        this.pointer = { x: e.offsetX, y: e.offsetY, t: performance.now() };
      } else if (info.type === PointerEventTypes.POINTERUP && e.button === 0 && this.pointer) {
        const p = this.pointer;
        this.pointer = null;
        // A click, not a drag: pick.
        if (Math.hypot(e.offsetX - p.x, e.offsetY - p.y) < 5 && performance.now() - p.t < 800) {
          const atom = this.pickAtom(e.offsetX, e.offsetY);
          const extend = e.shiftKey || e.ctrlKey || e.metaKey;
          for (const l of this.pickListeners) l({ atom, extend });
        }
      }
      if (info.type === PointerEventTypes.POINTERMOVE && e.buttons === 0) return;
      this.loop.keepAlive(info.type === PointerEventTypes.POINTERWHEEL ? 400 : 250);
    });
    scene.onKeyboardObservable.add(() => this.loop.keepAlive(400));

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.loop.request();
  }

  get atomCount(): number {
    return this.count;
  }

  /** Index of the frame on screen (-1 when none). */
  get frameIndex(): number {
    return this.shownIndex;
  }

  /** True when nothing is waiting to be drawn. */
  get idle(): boolean {
    return !this.loop.pending && this.pendingIndex === null;
  }

  get bondCount(): number {
    return this.bondsLayer().bondCount;
  }

  /** Called when a new frame is on screen. */
  onDraw(listener: (info: DrawInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after every draw (camera moves included), e.g. to move overlays. */
  onRender(listener: () => void): () => void {
    this.renderListeners.add(listener);
    return () => this.renderListeners.delete(listener);
  }

  onAppearance(listener: (info: AppearanceInfo) => void): () => void {
    this.appearanceListeners.add(listener);
    listener(this.appearanceInfo());
    return () => this.appearanceListeners.delete(listener);
  }

  onPick(listener: (e: PickEvent) => void): () => void {
    this.pickListeners.add(listener);
    return () => this.pickListeners.delete(listener);
  }

  // ---- frames and options --------------------------------------------------------------

  /**
   * Shows a frame: positions go to the GPU in one texture upload; colours, radii and bonds
   * are rebuilt only when they change. `reframe` points the camera at it (a newly opened
   * file); otherwise the view stays where the user left it.
   */
  showFrame(frame: ViewerFrame, opts: { reframe?: boolean } = {}): void {
    const n = frame.numbers.length;
    if (frame.positions.length < 3 * n)
      throw new Error(`frame has ${n} atoms but ${frame.positions.length / 3} positions`);
    const resized = n !== this.count;
    if (resized) {
      this.numbers = new Uint8Array(n);
      this.positions = new Float32Array(3 * n);
      this.count = n;
    }
    let numbersChanged = resized;
    if (!numbersChanged) {
      for (let i = 0; i < n; i++) {
        if (this.numbers[i] !== frame.numbers[i]) {
          numbersChanged = true;
          break;
        }
      }
    }
    if (numbersChanged) this.numbers.set(frame.numbers.subarray(0, n));
    this.positions.set(frame.positions.subarray(0, 3 * n));
    const bonds = frame.bonds ?? EMPTY_U32;
    const bondsChanged = !sameArray(bonds, this.bonds);
    const columnsChanged =
      this.frame === null ||
      frame.atomProperties !== this.frame.atomProperties ||
      frame.atomLabels !== this.frame.atomLabels;
    if (opts.reframe) this.range = null;
    this.frame = frame;
    this.bonds = bonds;

    this.positionTexture.update(this.positions, n);
    this.atoms.setCount(n);
    const cell = isDrawableCell(frame.cell) ? frame.cell : null;
    this.cell.update(this.options.showCell ? cell : null);
    this.uniforms.setCell(cell, this.pbc ?? [true, true, true]);

    const followPositions = colorsFollowPositions(this.options.colorBy);
    const propertyColors = this.options.colorBy.startsWith('prop:') && this.options.colorBy !== 'prop:index';
    if (numbersChanged || bondsChanged || opts.reframe) {
      this.restyle();
    } else if (followPositions || (propertyColors && columnsChanged)) {
      this.recolor();
    }
    if (opts.reframe || !this.framed) this.resetView();
    this.pendingIndex = frame.index;
    this.loop.request();
  }

  clear(): void {
    this.count = 0;
    this.frame = null;
    this.bonds = EMPTY_U32;
    this.atoms.setCount(0);
    for (const layer of Object.values(this.bondLayers)) layer.clear();
    this.cell.update(null);
    this.pendingIndex = -1;
    this.framed = false;
    this.legend = null;
    this.emitAppearance();
    this.loop.request();
  }

  /**
   * Which cell axes are periodic for the file shown (bonds are drawn to the nearest image
   * along these only); null: every axis of a cell.
   */
  setPeriodicity(pbc: readonly boolean[] | null): void {
    this.pbc = pbc ? [...pbc] : null;
    const cell = this.frame && isDrawableCell(this.frame.cell) ? this.frame.cell : null;
    this.uniforms.setCell(cell, this.pbc ?? [true, true, true]);
    this.loop.request();
  }

  /** Changes how things look; only what depends on the changed options is recomputed. */
  setOptions(patch: Partial<ViewOptions>): void {
    const before = this.options;
    const next: ViewOptions = { ...before, ...patch };
    this.options = next;
    if (next.background !== before.background) this.applyBackground();
    if (next.showCell !== before.showCell) {
      const cell = this.frame && isDrawableCell(this.frame.cell) ? this.frame.cell : null;
      this.cell.update(next.showCell ? cell : null);
    }
    const restyle = next.representation !== before.representation || next.radiusScale !== before.radiusScale;
    const recolor =
      next.colorBy !== before.colorBy ||
      next.colormap !== before.colormap ||
      !sameRange(next.colorRange, before.colorRange);
    if (next.colorBy !== before.colorBy) this.range = null;
    if (restyle) this.restyle();
    else if (recolor) this.recolor();
    this.loop.request();
  }

  get viewOptions(): Readonly<ViewOptions> {
    return this.options;
  }

  /** Fits the colormap range to the frame on screen. */
  fitColorRange(): void {
    this.range = null;
    this.recolor();
    this.loop.request();
  }

  /** Frames the current structure and cell from the default angle. */
  resetView(): void {
    let maxR = 0;
    for (let i = 0; i < this.count; i++) maxR = Math.max(maxR, this.radii[i] ?? 0);
    const { center, radius } = boundingSphere(this.positions.subarray(0, 3 * this.count), this.cell.corners(), maxR);
    this.sceneSize = radius;
    frameSphere(this.camera, center, radius, this.aspect());
    this.framed = this.count > 0;
    this.loop.request();
  }

  resize(): void {
    this.engine.resize();
    this.loop.request();
  }

  /** Position of atom `i` in Å, or null when out of range. */
  atomPosition(i: number): [number, number, number] | null {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return null;
    return [this.positions[3 * i]!, this.positions[3 * i + 1]!, this.positions[3 * i + 2]!];
  }

  /** Atomic number and per-atom columns of atom `i` (for the info panel). */
  atomInfo(i: number): {
    index: number;
    z: number;
    position: [number, number, number];
    labels: Record<string, string>;
    properties: Record<string, number>;
  } | null {
    const position = this.atomPosition(i);
    if (!position || !this.frame) return null;
    const labels: Record<string, string> = {};
    for (const [key, col] of Object.entries(this.frame.atomLabels ?? {})) {
      const code = col.codes[i];
      if (code !== undefined) labels[key] = col.labels[code] ?? '';
    }
    const properties: Record<string, number> = {};
    for (const [key, col] of Object.entries(this.frame.atomProperties ?? {})) {
      const v = col[i];
      if (v !== undefined) properties[key] = v;
    }
    return { index: i, z: this.numbers[i]!, position, labels, properties };
  }

  /** Where atom `i` is on the canvas, in CSS pixels, for the picture last drawn. */
  projectAtom(i: number): ScreenPoint | null {
    const p = this.atomPosition(i);
    return p ? this.projectPoint(p) : null;
  }

  /** Where world point `p` (Å) is on the canvas, in CSS pixels. */
  projectPoint(p: readonly [number, number, number]): ScreenPoint {
    const w = this.engine.getRenderWidth();
    const h = this.engine.getRenderHeight();
    const v = Vector3.Project(
      new Vector3(p[0], p[1], p[2]),
      Matrix.IdentityReadOnly,
      this.scene.getTransformMatrix(),
      this.camera.viewport.toGlobal(w, h),
    );
    return {
      x: (v.x * this.canvas.clientWidth) / w,
      y: (v.y * this.canvas.clientHeight) / h,
      depth: v.z,
    };
  }

  /** Screen directions of the world x, y, z axes (unit-ish, y down), for an axes gizmo. */
  axesDirections(): { x: number; y: number; depth: number }[] {
    const view = this.camera.getViewMatrix();
    const out: { x: number; y: number; depth: number }[] = [];
    for (const axis of [new Vector3(1, 0, 0), new Vector3(0, 1, 0), new Vector3(0, 0, 1)]) {
      const v = Vector3.TransformNormal(axis, view);
      out.push({ x: v.x, y: -v.y, depth: -v.z });
    }
    return out;
  }

  /**
   * The atom under canvas point (x, y) (CSS px): ray–sphere intersection over the drawn atoms
   * (the impostors' own geometry, so what is picked is what is seen), nearest hit wins.
   */
  pickAtom(x: number, y: number): number | null {
    if (this.count === 0) return null;
    const w = this.engine.getRenderWidth();
    const h = this.engine.getRenderHeight();
    const px = (x * w) / (this.canvas.clientWidth || w);
    const py = (y * h) / (this.canvas.clientHeight || h);
    this.updateProjection();
    const view = this.camera.getViewMatrix();
    const projection = this.camera.getProjectionMatrix();
    const near = Vector3.Unproject(new Vector3(px, py, 0), w, h, Matrix.IdentityReadOnly, view, projection);
    const far = Vector3.Unproject(new Vector3(px, py, 1), w, h, Matrix.IdentityReadOnly, view, projection);
    const dir = far.subtract(near).normalize();
    const style = representationStyle(this.representation);
    // Points: a hit within the dot's radius (+ 2 px), converted to Å at the atom's depth.
    const pxSize = (t: number): number =>
      this.camera.mode === Camera.ORTHOGRAPHIC_CAMERA
        ? ((this.camera.orthoTop ?? 1) - (this.camera.orthoBottom ?? -1)) / h
        : (2 * t * Math.tan(this.camera.fov / 2)) / h;
    let best: number | null = null;
    let bestT = Infinity;
    const p = this.positions;
    for (let i = 0; i < this.count; i++) {
      const ox = p[3 * i]! - near.x;
      const oy = p[3 * i + 1]! - near.y;
      const oz = p[3 * i + 2]! - near.z;
      const t = ox * dir.x + oy * dir.y + oz * dir.z;
      if (t <= 0) continue;
      const r = style.pointSize > 0 ? (style.pointSize + 2) * pxSize(t) : this.radii[i]!;
      if (!(r > 0)) continue;
      const perp2 = ox * ox + oy * oy + oz * oz - t * t;
      if (perp2 > r * r) continue;
      const hit = t - Math.sqrt(r * r - perp2);
      if (hit < bestT) {
        bestT = hit;
        best = i;
      }
    }
    return best;
  }

  /** Schedules a draw (after an outside change such as a style edit). */
  requestRender(): void {
    this.loop.request();
  }

  // ---- figures -------------------------------------------------------------------------

  /**
   * Renders the view offscreen at `width` x `height` px (up to MAX_IMAGE_SIZE a side) and
   * returns it as a PNG. The camera keeps its framing: the vertical field of view is the
   * canvas's, the width follows the requested aspect ratio.
   */
  async renderImage(req: ImageRequest): Promise<Blob> {
    const width = Math.round(req.width);
    const height = Math.round(req.height);
    const max = Math.min(MAX_IMAGE_SIZE, this.engine.getCaps().maxRenderTextureSize || MAX_IMAGE_SIZE);
    if (!(width >= 1 && height >= 1 && width <= max && height <= max)) {
      throw new RangeError(`image size ${width} x ${height} is outside 1..${max} px a side`);
    }
    const rtt = new RenderTargetTexture(
      'figure',
      { width, height },
      this.scene,
      false,
      false, // the camera's aspect ratio follows the figure's
      Constants.TEXTURETYPE_UNSIGNED_BYTE,
      false,
      Constants.TEXTURE_NEAREST_SAMPLINGMODE,
      true,
      false,
    );
    try {
      rtt.renderList = this.scene.meshes.filter((m) => m.isEnabled());
      rtt.activeCamera = this.camera;
      const [r, g, b] = parseHexColor(this.options.background) ?? [0, 0, 0];
      rtt.clearColor = new Color4(r, g, b, req.transparent ? 0 : 1);
      this.updateProjection(width / height);
      this.updateUniforms(width, height);
      for (let tries = 0; !rtt.isReadyForRendering() && tries < 200; tries++) await nextFrame();
      rtt.render();
      const data = await rtt.readPixels(0, 0, null, true);
      if (!data) throw new Error('the figure could not be read back from the GPU');
      return await encodePng(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height);
    } finally {
      rtt.dispose();
      this.updateProjection();
      this.loop.request();
    }
  }

  // ---- benchmark -----------------------------------------------------------------------

  /**
   * Benchmark: draws `frames` pictures back to back, orbiting the camera a little each time
   * (and with `newPositions` uploading the positions as a new trajectory frame would),
   * waiting for the GPU after each (a one-pixel read); resolves with ms per frame drawn.
   * `bondMode` picks the bond drawing and `representation` the look for the run (both stay).
   */
  benchmark(
    frames: number,
    opts: { newPositions?: boolean; bondMode?: BondMode; representation?: RepresentationChoice } = {},
  ): { msPerFrame: number; atoms: number; bonds: number } {
    if (opts.bondMode && opts.bondMode !== this.bondMode) this.setBondMode(opts.bondMode);
    if (opts.representation) this.setOptions({ representation: opts.representation });
    const gl = this.engine._gl;
    const px = new Uint8Array(4);
    const step = (k: number): void => {
      this.camera.alpha += 0.002;
      if (opts.newPositions) {
        this.positions[0] = this.positions[0]! + (k % 2 ? 0.01 : -0.01);
        this.positionTexture.update(this.positions, this.count);
      }
      this.renderOnce();
      gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    };
    for (let k = 0; k < 2; k++) step(k); // warm-up (buffers, shader variants)
    const t0 = performance.now();
    for (let k = 0; k < frames; k++) step(k);
    const msPerFrame = (performance.now() - t0) / frames;
    this.loop.request();
    const bonds = representationStyle(this.representation).bondRadius > 0 ? this.bondCount : 0;
    return { msPerFrame, atoms: this.count, bonds };
  }

  /** Switches between cylinder impostors and instanced tube meshes for bonds. */
  setBondMode(mode: BondMode): void {
    if (mode === this.bondMode) return;
    this.bondLayers[this.bondMode]?.clear();
    this.bondMode = mode;
    this.restyle();
    this.loop.request();
  }

  dispose(): void {
    this.loop.dispose();
    this.resizeObserver.disconnect();
    this.listeners.clear();
    this.renderListeners.clear();
    this.appearanceListeners.clear();
    this.pickListeners.clear();
    this.atoms.dispose();
    for (const layer of Object.values(this.bondLayers)) layer.dispose();
    this.cell.dispose();
    this.positionTexture.dispose();
    this.scene.dispose();
    this.engine.dispose();
  }

  // ---- internals -----------------------------------------------------------------------

  private bondsLayer(): BondsLayer {
    let layer = this.bondLayers[this.bondMode];
    if (!layer) {
      layer = new BondsLayer(this.scene, this.positionTexture, this.uniforms, this.bondMode);
      this.bondLayers[this.bondMode] = layer;
    }
    return layer;
  }

  /** Radii, colours and bonds from the representation (after a new topology or option). */
  private restyle(): void {
    const n = this.count;
    const rep = resolveRepresentation(this.options.representation, n, this.bonds.length / 2);
    this.representation = rep;
    const style = representationStyle(rep);
    const scale = this.options.radiusScale;
    this.radii = atomRadii(this.numbers, rep, scale, this.radii);
    this.atoms.setRadii(this.radii);
    this.atoms.setPointSize(style.pointSize > 0 ? style.pointSize * scale : 0);
    this.colorAtoms();
    this.atoms.setColors(this.colors);
    const layer = this.bondsLayer();
    const bondRadius = style.bondRadius * (style.scaleBonds ? scale : 1);
    if (bondRadius > 0 && this.bonds.length > 0) {
      layer.setRadius(bondRadius);
      layer.setBonds(this.bonds, n, this.colors);
    } else {
      layer.clear();
    }
    this.emitAppearance();
  }

  /** Colours only (after a colouring option, or a frame when colours follow positions). */
  private recolor(): void {
    this.colorAtoms();
    this.atoms.setColors(this.colors);
    const layer = this.bondsLayer();
    if (layer.bondCount > 0) layer.recolor(this.colors);
    this.emitAppearance();
  }

  private colorAtoms(): void {
    if (!this.frame) return;
    const frame = { ...this.frame, numbers: this.numbers, positions: this.positions };
    const range = this.options.colorRange ?? this.range;
    const c = colorAtoms(frame, this.options.colorBy, this.options.colormap, range, this.colors);
    this.colors = c.colors;
    this.legend = c.legend;
    // Keep the fitted range while frames change (colours keep their meaning during playback).
    if (!this.options.colorRange) this.range = c.range;
  }

  private appearanceInfo(): AppearanceInfo {
    return {
      representation: this.representation,
      legend: this.legend,
      colorOptions: colorOptions(this.frame),
      bonds: this.bonds.length / 2,
    };
  }

  private emitAppearance(): void {
    const info = this.appearanceInfo();
    for (const l of this.appearanceListeners) l(info);
  }

  private applyBackground(): void {
    const [r, g, b] = parseHexColor(this.options.background) ?? [0.098, 0.106, 0.122];
    this.scene.clearColor = new Color4(r, g, b, 1);
    this.uniforms.fogColor = { r, g, b };
    this.cell.setContrast(r, g, b);
  }

  private aspect(): number {
    const w = this.engine.getRenderWidth();
    const h = this.engine.getRenderHeight();
    return w > 0 && h > 0 ? w / h : 1;
  }

  /** Camera mode and orthographic extents (the perspective view's size at the target). */
  private updateProjection(aspect = this.aspect()): void {
    const cam = this.camera;
    fitClipPlanes(cam, this.sceneSize);
    if (this.options.projection === 'orthographic') {
      cam.mode = Camera.ORTHOGRAPHIC_CAMERA;
      const halfH = cam.radius * Math.tan(cam.fov / 2);
      cam.orthoTop = halfH;
      cam.orthoBottom = -halfH;
      cam.orthoLeft = -halfH * aspect;
      cam.orthoRight = halfH * aspect;
    } else {
      cam.mode = Camera.PERSPECTIVE_CAMERA;
    }
  }

  /** Shared and per-layer uniforms of the next draw, into the materials. */
  private updateUniforms(width = this.engine.getRenderWidth(), height = this.engine.getRenderHeight()): void {
    this.uniforms.orthographic = this.options.projection === 'orthographic';
    this.uniforms.viewport = { x: width || 1, y: height || 1 };
    // Depth cueing: full colour at the front of the scene, faded 70 % towards the background at its back.
    const d = this.camera.radius;
    this.uniforms.fog = this.options.depthCue
      ? { x: Math.max(0, d - this.sceneSize * 0.6), y: d + this.sceneSize, z: 0.7 }
      : { x: 0, y: 0, z: 0 };
    this.atoms.prepare();
    for (const layer of Object.values(this.bondLayers)) layer.prepare();
  }

  private renderOnce(): void {
    this.updateProjection();
    this.updateUniforms();
    this.engine.beginFrame();
    this.scene.render();
    this.engine.endFrame();
  }

  /** One draw; true when another frame is wanted (shaders compiling, camera still moving). */
  private draw(): boolean {
    const t0 = performance.now();
    this.renderOnce();
    const drawMs = performance.now() - t0;
    this.lastDrawMs = drawMs;
    this.drawCount++;

    // Shaders compile asynchronously and a mesh is skipped until its shader is ready: the
    // frame counts as shown once atoms and bonds are drawn; drawing goes on until the rest is.
    const atomsReady = this.atoms.isReady() && this.bondsLayer().isReady();
    const ready = atomsReady && this.scene.isReady(true);
    if (atomsReady && this.pendingIndex !== null) {
      this.shownIndex = this.pendingIndex;
      this.pendingIndex = null;
      if (this.firstAtomsAt === null && this.count > 0) {
        this.firstAtomsAt = performance.now();
        performance.mark('atomscope:first-atoms');
      }
      const info: DrawInfo = { frameIndex: this.shownIndex, atoms: this.count, drawMs };
      for (const l of this.listeners) l(info);
    }
    for (const l of this.renderListeners) l();

    const view = this.camera.getViewMatrix().m;
    let moved = false;
    for (let k = 0; k < 16; k++) {
      if (view[k] !== this.lastView[k]) moved = true;
      this.lastView[k] = view[k]!;
    }
    return !ready || moved;
  }
}

function sameArray(a: Uint32Array, b: Uint32Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameRange(a: [number, number] | null, b: [number, number] | null): boolean {
  return a === b || (a !== null && b !== null && a[0] === b[0] && a[1] === b[1]);
}

function nextFrame(): Promise<void> {
  return new Promise((r) => requestAnimationFrame(() => r()));
}

/** RGBA8 rows bottom-up (GL order) to a PNG blob, via a 2D canvas. */
async function encodePng(data: Uint8Array, width: number, height: number): Promise<Blob> {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas to encode the figure');
  const image = ctx.createImageData(width, height);
  const row = 4 * width;
  for (let y = 0; y < height; y++) {
    image.data.set(data.subarray((height - 1 - y) * row, (height - y) * row), y * row);
  }
  ctx.putImageData(image, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}
