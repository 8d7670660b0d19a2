/**
 * Bonds drawn as half bonds: bond (i, j) is two instances, i -> midpoint in i's colour and
 * j -> midpoint in j's colour, so a bond is split-coloured by element and a bond across a
 * periodic boundary (nearest image, in the shader) shows as a stub at each side of the cell.
 * Instances hold only (i, j) and a colour; positions come from the shared position texture,
 * so a new frame uploads nothing here.
 *
 * Two ways to draw the same instances: `impostor` (a quad per half bond facing the eye,
 * ray-cast to a capped cylinder per fragment, exact at any zoom) and `mesh` (an instanced
 * open tube of 10 segments, lit per vertex normal). Measured in e2e/bench-viewer.mjs
 * (software WebGL, 10 976 atoms, 65 856 bonds): impostor faster; it is the default.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import type { PositionTexture } from './position-texture';
import { InstanceAttribute } from './instance-buffer';
import { CYLINDER_FRAGMENT, CYLINDER_VERTEX, TUBE_FRAGMENT, TUBE_VERTEX } from './shaders';
import type { SceneUniforms } from './scene-uniforms';

export type BondMode = 'impostor' | 'mesh';

const TUBE_SEGMENTS = 10;

function quadGeometry(): VertexData {
  const v = new VertexData();
  v.positions = [-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0];
  v.indices = [0, 1, 2, 0, 2, 3];
  return v;
}

function tubeGeometry(segments: number): VertexData {
  const v = new VertexData();
  const p: number[] = [];
  const idx: number[] = [];
  for (let s = 0; s <= segments; s++) {
    const a = (2 * Math.PI * s) / segments;
    p.push(Math.cos(a), Math.sin(a), 0, Math.cos(a), Math.sin(a), 1);
  }
  for (let s = 0; s < segments; s++) {
    const i = 2 * s;
    idx.push(i, i + 2, i + 1, i + 1, i + 2, i + 3);
  }
  v.positions = p;
  v.indices = idx;
  return v;
}

export class BondsLayer {
  readonly mesh: Mesh;
  readonly material: ShaderMaterial;
  private readonly atoms: InstanceAttribute<Float32Array>;
  private readonly colors: InstanceAttribute<Uint8Array>;
  private instances = 0;
  private radius = 0.15;
  /** The bonds last set (to skip rebuilding when a frame brings the same table). */
  private pairs: Uint32Array = new Uint32Array(0);

  constructor(
    scene: Scene,
    private readonly positions: PositionTexture,
    private readonly uniforms: SceneUniforms,
    readonly mode: BondMode = 'impostor',
  ) {
    const mesh = new Mesh(`bonds-${mode}`, scene);
    (mode === 'impostor' ? quadGeometry() : tubeGeometry(TUBE_SEGMENTS)).applyToMesh(mesh, false);
    mesh.isPickable = false;
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.doNotSyncBoundingInfo = true;
    this.mesh = mesh;
    const material = new ShaderMaterial(
      `bonds-${mode}`,
      scene,
      mode === 'impostor'
        ? { vertexSource: CYLINDER_VERTEX, fragmentSource: CYLINDER_FRAGMENT }
        : { vertexSource: TUBE_VERTEX, fragmentSource: TUBE_FRAGMENT },
      {
        attributes: ['position', 'bondAtoms', 'bondColor'],
        uniforms: [
          'view',
          'projection',
          'texWidth',
          'bondRadius',
          'cellMatrix',
          'cellInverse',
          'periodic',
          'orthographic',
          'viewportSize',
          'fogColor',
          'fogParams',
        ],
        samplers: ['positionsTex'],
      },
    );
    // The impostor's quad faces the eye either way round; the tube culls its far side.
    material.backFaceCulling = mode === 'mesh';
    mesh.material = material;
    this.material = material;
    this.atoms = new InstanceAttribute<Float32Array>(mesh, 'bondAtoms', 2, false);
    this.colors = new InstanceAttribute<Uint8Array>(mesh, 'bondColor', 4, true);
    this.mesh.forcedInstanceCount = 1;
    this.mesh.setEnabled(false);
  }

  get bondCount(): number {
    return this.instances / 2;
  }

  /** The bond table drawn (pairs of atom indices). */
  get bonds(): Uint32Array {
    return this.pairs;
  }

  /**
   * Sets the bonds (pairs of atom indices below `atoms`) and colours them from per-atom RGBA8
   * colours. Pairs naming atoms out of range are dropped.
   */
  setBonds(bonds: Uint32Array, atoms: number, atomColors: Uint8Array): void {
    this.pairs = bonds;
    const count = bonds.length >> 1;
    const ij = this.atoms.reserve(2 * count);
    let k = 0;
    for (let b = 0; b < count; b++) {
      const i = bonds[2 * b]!;
      const j = bonds[2 * b + 1]!;
      if (i >= atoms || j >= atoms || i === j) continue;
      ij[4 * k] = i;
      ij[4 * k + 1] = j;
      ij[4 * k + 2] = j;
      ij[4 * k + 3] = i;
      k++;
    }
    this.instances = 2 * k;
    this.atoms.upload(this.instances);
    this.recolor(atomColors);
    this.mesh.forcedInstanceCount = Math.max(1, this.instances);
    this.mesh.setEnabled(this.instances > 0 && this.radius > 0);
  }

  /** Re-reads the half bonds' colours from per-atom RGBA8 colours. */
  recolor(atomColors: Uint8Array): void {
    const ij = this.atoms.data;
    const out = this.colors.reserve(this.instances);
    for (let h = 0; h < this.instances; h++) {
      const i = ij[2 * h]!;
      out[4 * h] = atomColors[4 * i]!;
      out[4 * h + 1] = atomColors[4 * i + 1]!;
      out[4 * h + 2] = atomColors[4 * i + 2]!;
      out[4 * h + 3] = 255;
    }
    this.colors.upload(this.instances);
  }

  /** Bond radius in Å (0 hides the bonds). */
  setRadius(r: number): void {
    this.radius = r;
    this.mesh.setEnabled(this.instances > 0 && r > 0);
  }

  /** Writes the uniforms of the next draw into the material (call before rendering). */
  prepare(): void {
    const m = this.material;
    m.setTexture('positionsTex', this.positions.current);
    m.setInt('texWidth', this.positions.width);
    m.setFloat('bondRadius', this.radius);
    this.uniforms.apply(m);
  }

  isReady(): boolean {
    return !this.mesh.isEnabled() || this.mesh.isReady(true);
  }

  clear(): void {
    this.pairs = new Uint32Array(0);
    this.instances = 0;
    this.mesh.setEnabled(false);
  }

  dispose(): void {
    this.mesh.dispose();
    this.material.dispose();
  }
}
