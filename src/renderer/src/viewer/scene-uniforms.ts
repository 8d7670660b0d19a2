/**
 * Uniforms every impostor material shares (projection kind, viewport, depth cueing, the cell
 * for minimum-image bonds). The viewer writes them into each material before every render
 * (ShaderMaterial keeps the values and uploads them when it binds: values set from its own
 * onBind callback would only reach the next draw).
 */
import type { ShaderMaterial } from '@babylonjs/core/Materials/shaderMaterial';

export class SceneUniforms {
  orthographic = false;
  fogColor = { r: 0, g: 0, b: 0 };
  /** Start and end distance (Å from the eye) and strength (0: off). */
  fog = { x: 0, y: 0, z: 0 };
  /** Columns a, b, c (the row-major cell as stored in FrameData). */
  cellMatrix = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  cellInverse = Float32Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  periodic = { x: 0, y: 0, z: 0 };

  /** Size in px of the picture about to be drawn (the canvas, or a figure being exported). */
  viewport = { x: 1, y: 1 };

  apply(m: ShaderMaterial): void {
    m.setFloat('orthographic', this.orthographic ? 1 : 0);
    m.setVector2('viewportSize', this.viewport);
    m.setColor3('fogColor', this.fogColor);
    m.setVector3('fogParams', this.fog);
    m.setMatrix3x3('cellMatrix', this.cellMatrix);
    m.setMatrix3x3('cellInverse', this.cellInverse);
    m.setVector3('periodic', this.periodic);
  }

  /**
   * The cell (row-major rows a, b, c) and its periodic axes; null or a singular cell turns
   * minimum-image wrapping off.
   */
  setCell(cell: ArrayLike<number> | null, pbc: readonly boolean[]): void {
    const inv = cell ? invert3(cell) : null;
    if (!cell || !inv) {
      this.periodic = { x: 0, y: 0, z: 0 };
      return;
    }
    // GLSL mat3 is column-major: the row-major cell read column-major has columns a, b, c,
    // and the row-major inverse read column-major is the inverse of that matrix.
    for (let k = 0; k < 9; k++) this.cellMatrix[k] = cell[k]!;
    this.cellInverse.set(inv);
    this.periodic = { x: pbc[0] ? 1 : 0, y: pbc[1] ? 1 : 0, z: pbc[2] ? 1 : 0 };
  }
}

/** Inverse of a row-major 3x3 matrix, or null when singular or not finite. */
export function invert3(m: ArrayLike<number>): Float64Array | null {
  const [a, b, c, d, e, f, g, h, i] = Array.from({ length: 9 }, (_, k) => Number(m[k])) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) return null;
  return Float64Array.of(
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  );
}
