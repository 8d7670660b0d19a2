/**
 * The atoms of one frame as GPU sphere impostors: one screen-facing quad per atom, drawn as
 * instances of a single 4-vertex mesh in one draw call; the fragment shader intersects the
 * eye ray with the sphere and writes the hit's depth and lighting (shaders.ts). Positions
 * come from the shared position texture (a new frame uploads nothing else); colour and
 * radius are per-instance attributes, rewritten only when they change.
 */
import type { Scene } from '@babylonjs/core/scene';
import { Mesh } from '@babylonjs/core/Meshes/mesh';
import { VertexData } from '@babylonjs/core/Meshes/mesh.vertexData';
import { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';
import type { PositionTexture } from './position-texture';
import { InstanceAttribute } from './instance-buffer';
import { SPHERE_FRAGMENT, SPHERE_VERTEX } from './shaders';
import type { SceneUniforms } from './scene-uniforms';

export class AtomsLayer {
  readonly mesh: Mesh;
  readonly material: ShaderMaterial;
  private readonly colors: InstanceAttribute<Uint8Array>;
  private readonly radii: InstanceAttribute<Float32Array>;
  private count = 0;
  private pointSize = 0;

  constructor(
    scene: Scene,
    private readonly positions: PositionTexture,
    private readonly uniforms: SceneUniforms,
  ) {
    const mesh = new Mesh('atoms', scene);
    const quad = new VertexData();
    quad.positions = [-1, -1, 0, 1, -1, 0, 1, 1, 0, -1, 1, 0];
    quad.indices = [0, 1, 2, 0, 2, 3];
    quad.applyToMesh(mesh, false);
    mesh.isPickable = false;
    // The instances span the whole structure: no culling or bounding updates per frame.
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.doNotSyncBoundingInfo = true;
    this.mesh = mesh;

    const material = new ShaderMaterial(
      'atoms',
      scene,
      { vertexSource: SPHERE_VERTEX, fragmentSource: SPHERE_FRAGMENT },
      {
        attributes: ['position', 'atomColor', 'atomRadius'],
        uniforms: [
          'view',
          'projection',
          'texWidth',
          'orthographic',
          'pointSize',
          'viewportSize',
          'fogColor',
          'fogParams',
        ],
        samplers: ['positionsTex'],
      },
    );
    material.backFaceCulling = false;
    mesh.material = material;
    this.material = material;

    this.colors = new InstanceAttribute<Uint8Array>(mesh, 'atomColor', 4, true);
    this.radii = new InstanceAttribute<Float32Array>(mesh, 'atomRadius', 1, false);
    this.setCount(0);
  }

  get atomCount(): number {
    return this.count;
  }

  /** Number of atoms drawn (the position texture must hold at least as many). */
  setCount(n: number): void {
    this.count = n;
    this.colors.reserve(Math.max(1, n));
    this.radii.reserve(Math.max(1, n));
    // forcedInstanceCount draws n instances without a per-instance matrix buffer.
    this.mesh.forcedInstanceCount = Math.max(1, n);
    this.mesh.setEnabled(n > 0);
  }

  /** Colours as RGBA8 per atom. */
  setColors(rgba: Uint8Array): void {
    const data = this.colors.reserve(this.count);
    data.set(rgba.subarray(0, 4 * this.count));
    this.colors.upload(this.count);
  }

  /** Radii in Å per atom (<= 0 hides an atom). */
  setRadii(radii: Float32Array): void {
    const data = this.radii.reserve(this.count);
    data.set(radii.subarray(0, this.count));
    this.radii.upload(this.count);
  }

  /** Points of `px` pixels radius instead of spheres (0: spheres). */
  setPointSize(px: number): void {
    this.pointSize = px;
  }

  /** True when the shader is compiled and the next render shows the atoms. */
  /** Writes the uniforms of the next draw into the material (call before rendering). */
  prepare(): void {
    const m = this.material;
    m.setTexture('positionsTex', this.positions.current);
    m.setInt('texWidth', this.positions.width);
    m.setFloat('pointSize', this.pointSize);
    this.uniforms.apply(m);
  }

  isReady(): boolean {
    return this.mesh.isReady(true);
  }

  dispose(): void {
    this.mesh.dispose();
    this.material.dispose();
  }
}
