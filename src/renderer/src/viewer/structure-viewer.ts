/**
 * The 3D structure viewer: a plain class around one Babylon engine + scene, kept out of Vue
 * reactivity (components hold it in a plain variable, never in reactive state).
 *
 * Engine: no MSAA (software WebGL in tests is slow with it), preserveDrawingBuffer so that
 * tests and figure export can read pixels, no device-ratio upscaling. Rendering is on
 * demand: a new frame, a camera move or a resize schedules one draw.
 */
import { Engine } from '@babylonjs/core/Engines/engine';
import { Scene } from '@babylonjs/core/scene';
import type { ArcRotateCamera } from '@babylonjs/core/Cameras/arcRotateCamera';
import { HemisphericLight } from '@babylonjs/core/Lights/hemisphericLight';
import { DirectionalLight } from '@babylonjs/core/Lights/directionalLight';
import { Color3, Color4 } from '@babylonjs/core/Maths/math.color';
import { Matrix, Vector3 } from '@babylonjs/core/Maths/math.vector';
import { PointerEventTypes } from '@babylonjs/core/Events/pointerEvents';
import type { FrameData } from '../../../shared/types';
import { AtomsLayer } from './atoms';
import { CellLayer } from './cell';
import { boundingSphere, createCamera, fitClipPlanes, frameSphere } from './camera';
import { OnDemandLoop } from './on-demand';
import { SCENE_COLORS } from './style';

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

/** The frame currently drawn (only the fields the viewer uses). */
export type ViewerFrame = Pick<FrameData, 'index' | 'numbers' | 'positions' | 'cell'>;

export class StructureViewer {
  private readonly engine: Engine;
  private readonly scene: Scene;
  private readonly camera: ArcRotateCamera;
  private readonly hemi: HemisphericLight;
  private readonly sun: DirectionalLight;
  private readonly atoms: AtomsLayer;
  private readonly cell: CellLayer;
  private readonly loop: OnDemandLoop;
  private readonly resizeObserver: ResizeObserver;
  private readonly listeners = new Set<(info: DrawInfo) => void>();
  private readonly lastView = new Float32Array(16);
  /** Frame index set but not yet on screen. */
  private pendingIndex: number | null = null;
  private shownIndex = -1;
  private sceneSize = 10;
  private framed = false;

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
    const [r, g, b] = SCENE_COLORS.background;
    scene.clearColor = new Color4(r, g, b, 1);
    scene.skipPointerMovePicking = true;
    scene.skipPointerDownPicking = true;
    scene.skipPointerUpPicking = true;
    this.scene = scene;

    this.camera = createCamera(scene);

    this.hemi = new HemisphericLight('sky', new Vector3(0, 0, 1), scene);
    this.hemi.intensity = 0.5;
    this.hemi.diffuse = new Color3(1, 1, 1);
    this.hemi.groundColor = new Color3(0.28, 0.28, 0.3);
    this.hemi.specular = new Color3(0, 0, 0);
    this.sun = new DirectionalLight('sun', new Vector3(0, 0, -1), scene);
    this.sun.intensity = 0.55;
    // Lights follow the camera: the picture reads the same from every side.
    scene.onBeforeCameraRenderObservable.add(() => this.orientLights());

    this.atoms = new AtomsLayer(scene);
    this.cell = new CellLayer(scene);
    this.atoms.warmUp();
    this.cell.warmUp();
    this.loop = new OnDemandLoop(() => this.draw());

    scene.onPointerObservable.add((info) => {
      if (info.type === PointerEventTypes.POINTERMOVE && (info.event as PointerEvent).buttons === 0) return;
      this.loop.keepAlive(info.type === PointerEventTypes.POINTERWHEEL ? 400 : 250);
    });
    scene.onKeyboardObservable.add(() => this.loop.keepAlive(400));

    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.loop.request();
  }

  get atomCount(): number {
    return this.atoms.atomCount;
  }

  /** Index of the frame on screen (-1 when none). */
  get frameIndex(): number {
    return this.shownIndex;
  }

  /** True when nothing is waiting to be drawn. */
  get idle(): boolean {
    return !this.loop.pending && this.pendingIndex === null;
  }

  onDraw(listener: (info: DrawInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Shows a frame, updating instance buffers in place. `reframe` points the camera at it
   * (a newly opened file); otherwise the view stays where the user left it.
   */
  showFrame(frame: ViewerFrame, opts: { reframe?: boolean } = {}): void {
    this.atoms.update(frame.numbers, frame.positions);
    this.cell.update(frame.cell);
    if (opts.reframe || !this.framed) this.resetView();
    this.pendingIndex = frame.index;
    this.loop.request();
  }

  clear(): void {
    this.atoms.clear();
    this.cell.update(null);
    this.pendingIndex = -1;
    this.framed = false;
    this.loop.request();
  }

  /** Frames the current structure and cell from the default angle. */
  resetView(): void {
    const { center, radius } = boundingSphere(this.atoms.positionsView(), this.cell.corners(), this.atoms.maxRadius());
    this.sceneSize = radius;
    frameSphere(this.camera, center, radius, this.aspect());
    this.framed = this.atoms.atomCount > 0;
    this.loop.request();
  }

  resize(): void {
    this.engine.resize();
    this.loop.request();
  }

  /** Where atom `i` is on the canvas, in CSS pixels, for the picture last drawn. */
  projectAtom(i: number): ScreenPoint | null {
    const p = this.atoms.position(i);
    if (!p) return null;
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

  /** Schedules a draw (after an outside change such as a style edit). */
  requestRender(): void {
    this.loop.request();
  }

  dispose(): void {
    this.loop.dispose();
    this.resizeObserver.disconnect();
    this.listeners.clear();
    this.atoms.dispose();
    this.cell.dispose();
    this.scene.dispose();
    this.engine.dispose();
  }

  private aspect(): number {
    const w = this.engine.getRenderWidth();
    const h = this.engine.getRenderHeight();
    return w > 0 && h > 0 ? w / h : 1;
  }

  /** One draw; true when another frame is wanted (shaders compiling, camera still moving). */
  private draw(): boolean {
    fitClipPlanes(this.camera, this.sceneSize);
    const t0 = performance.now();
    this.engine.beginFrame();
    this.scene.render();
    this.engine.endFrame();
    const drawMs = performance.now() - t0;
    this.lastDrawMs = drawMs;
    this.drawCount++;

    // Shaders compile asynchronously and a mesh is skipped until its shader is ready: the
    // frame counts as shown once the atoms are drawn; drawing goes on until the rest (cell) is.
    const atomsReady = this.atoms.isReady();
    const ready = atomsReady && this.scene.isReady(true);
    if (atomsReady && this.pendingIndex !== null) {
      this.shownIndex = this.pendingIndex;
      this.pendingIndex = null;
      if (this.firstAtomsAt === null && this.atoms.atomCount > 0) {
        this.firstAtomsAt = performance.now();
        performance.mark('atomscope:first-atoms');
      }
      const info: DrawInfo = { frameIndex: this.shownIndex, atoms: this.atoms.atomCount, drawMs };
      for (const l of this.listeners) l(info);
    }

    const view = this.camera.getViewMatrix().m;
    let moved = false;
    for (let k = 0; k < 16; k++) {
      if (view[k] !== this.lastView[k]) moved = true;
      this.lastView[k] = view[k]!;
    }
    return !ready || moved;
  }

  private orientLights(): void {
    const cam = this.camera;
    const forward = cam.target.subtract(cam.position).normalize();
    let up = cam.upVector.subtract(forward.scale(Vector3.Dot(cam.upVector, forward)));
    if (up.lengthSquared() < 1e-8) up = new Vector3(0, 1, 0);
    up.normalize();
    const right = Vector3.Cross(forward, up).normalize();
    // Key light from above-left of the viewer, sky light from the screen's up.
    this.sun.direction = forward.add(up.scale(-0.55)).add(right.scale(0.4)).normalize();
    this.hemi.direction = up.add(forward.scale(-0.3)).normalize();
  }
}
