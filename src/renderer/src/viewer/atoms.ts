/**
 * The atoms of one frame: a single sphere mesh drawn once per atom through thin instances
 * (one draw call whatever the atom count), with a per-instance colour buffer. A new frame
 * rewrites the instance matrices in place; buffers are re-created only when the atom count
 * changes, and the sphere only when the tessellation tier changes (a new, bigger system).
 */
import type { Scene } from '@babylonjs/core/scene';
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { CreateSphere } from '@babylonjs/core/Meshes/Builders/sphereBuilder';
import { StandardMaterial } from '@babylonjs/core/Materials/standardMaterial';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import '@babylonjs/core/Meshes/thinInstanceMesh';
import { atomRadius, DEFAULT_ATOM_STYLE, sphereSegments, writeAtomColor, type AtomStyle } from './style';

export class AtomsLayer {
  private mesh: Mesh | null = null;
  private segments = 0;
  private readonly material: StandardMaterial;
  private matrices = new Float32Array(0);
  private colors = new Float32Array(0);
  private radii = new Float32Array(0);
  private numbers = new Uint8Array(0);
  private count = 0;
  private stale = false;
  /** Positions of the frame on screen (Å), for projection and framing. */
  private positions = new Float32Array(0);

  constructor(
    private readonly scene: Scene,
    private readonly style: AtomStyle = DEFAULT_ATOM_STYLE,
  ) {
    const m = new StandardMaterial('atoms', scene);
    m.diffuseColor = new Color3(1, 1, 1);
    m.specularColor = new Color3(0.22, 0.22, 0.22);
    m.specularPower = 48;
    this.material = m;
  }

  /**
   * Compiles the sphere shader before any data arrives (one invisible instance with a zero
   * matrix), so that the first frame is not held up by shader compilation.
   */
  warmUp(): void {
    if (this.mesh) return;
    this.rebuildMesh(sphereSegments(1));
    this.mesh!.thinInstanceSetBuffer('matrix', new Float32Array(16), 16, false);
    this.mesh!.thinInstanceSetBuffer('color', new Float32Array(4), 4, false);
  }

  get atomCount(): number {
    return this.count;
  }

  /** Position of atom `i` in Å, or null when out of range. */
  position(i: number): [number, number, number] | null {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) return null;
    return [this.positions[3 * i]!, this.positions[3 * i + 1]!, this.positions[3 * i + 2]!];
  }

  /** Largest display radius among the current atoms (for framing). */
  maxRadius(): number {
    let r = 0;
    for (let i = 0; i < this.count; i++) r = Math.max(r, this.radii[i]!);
    return r;
  }

  positionsView(): Float32Array {
    return this.positions.subarray(0, 3 * this.count);
  }

  /** True when the sphere shader is compiled and the next render shows the atoms. */
  isReady(): boolean {
    return this.mesh === null || this.mesh.isReady(true);
  }

  update(numbers: Uint8Array, positions: Float32Array): void {
    const n = numbers.length;
    if (positions.length < 3 * n) throw new Error(`frame has ${n} atoms but ${positions.length / 3} positions`);
    const segments = sphereSegments(n);
    if (!this.mesh || segments !== this.segments) this.rebuildMesh(segments);
    const mesh = this.mesh!;

    const resized = n !== this.count;
    if (resized) {
      this.matrices = new Float32Array(16 * n);
      this.colors = new Float32Array(4 * n);
      this.radii = new Float32Array(n);
      this.numbers = new Uint8Array(n);
      this.positions = new Float32Array(3 * n);
      this.count = n;
    }

    let numbersChanged = resized;
    if (!numbersChanged) {
      for (let i = 0; i < n; i++) {
        if (this.numbers[i] !== numbers[i]) {
          numbersChanged = true;
          break;
        }
      }
    }
    if (numbersChanged) {
      this.numbers.set(numbers);
      for (let i = 0; i < n; i++) {
        this.radii[i] = atomRadius(numbers[i]!, this.style);
        writeAtomColor(numbers[i]!, this.colors, 4 * i);
      }
    }

    this.positions.set(positions.subarray(0, 3 * n));
    const m = this.matrices;
    for (let i = 0; i < n; i++) {
      const r = this.radii[i]!;
      const o = 16 * i;
      // Column-major scale + translation (Babylon's matrix layout: translation in 12..14).
      m[o] = r;
      m[o + 5] = r;
      m[o + 10] = r;
      m[o + 12] = positions[3 * i]!;
      m[o + 13] = positions[3 * i + 1]!;
      m[o + 14] = positions[3 * i + 2]!;
      m[o + 15] = 1;
    }

    if (resized || this.stale || mesh.thinInstanceCount !== n) {
      mesh.thinInstanceSetBuffer('matrix', this.matrices, 16, false);
      mesh.thinInstanceSetBuffer('color', this.colors, 4, false);
      this.stale = false;
    } else {
      mesh.thinInstanceBufferUpdated('matrix');
      if (numbersChanged) mesh.thinInstanceBufferUpdated('color');
    }
    mesh.setEnabled(n > 0);
  }

  clear(): void {
    this.count = 0;
    this.mesh?.setEnabled(false);
  }

  dispose(): void {
    this.mesh?.dispose();
    this.material.dispose();
  }

  private rebuildMesh(segments: number): void {
    this.mesh?.dispose();
    // Unit sphere (diameter 2): the instance matrix scales it to the atom radius.
    const mesh = CreateSphere('atoms', { segments, diameter: 2 }, this.scene);
    mesh.material = this.material;
    mesh.isPickable = false;
    // The instances span the whole structure: skip per-frame culling and bounding updates.
    mesh.alwaysSelectAsActiveMesh = true;
    mesh.doNotSyncBoundingInfo = true;
    this.mesh = mesh;
    this.segments = segments;
    this.stale = true; // the new mesh needs the buffers set again
  }
}
