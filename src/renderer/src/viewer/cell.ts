/**
 * The simulation cell as its 12 edges (one line system, updated in place when the cell
 * changes from frame to frame, e.g. under NPT).
 */
import type { Scene } from '@babylonjs/core/scene';
import type { LinesMesh } from '@babylonjs/core/Meshes/linesMesh';
import { CreateLineSystem } from '@babylonjs/core/Meshes/Builders/linesBuilder';
import { Color3 } from '@babylonjs/core/Maths/math.color';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';
import { SCENE_COLORS } from './style';

/** The 8 corners of the cell spanned by rows a, b, c of `cell` (row-major 3x3), origin at 0. */
export function cellCorners(cell: ArrayLike<number>): [number, number, number][] {
  const a = [cell[0]!, cell[1]!, cell[2]!];
  const b = [cell[3]!, cell[4]!, cell[5]!];
  const c = [cell[6]!, cell[7]!, cell[8]!];
  const out: [number, number, number][] = [];
  for (let k = 0; k < 8; k++) {
    const i = k & 1;
    const j = (k >> 1) & 1;
    const l = (k >> 2) & 1;
    out.push([i * a[0]! + j * b[0]! + l * c[0]!, i * a[1]! + j * b[1]! + l * c[1]!, i * a[2]! + j * b[2]! + l * c[2]!]);
  }
  return out;
}

/** Corner index pairs of the 12 edges (corner k has bits a=1, b=2, c=4). */
const EDGES: [number, number][] = [
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
  [0, 2],
  [1, 3],
  [4, 6],
  [5, 7],
  [0, 4],
  [1, 5],
  [2, 6],
  [3, 7],
];

/** A cell worth drawing: finite and not all zero (some formats write a zero box for "none"). */
export function isDrawableCell(cell: ArrayLike<number> | null | undefined): cell is ArrayLike<number> {
  if (!cell || cell.length < 9) return false;
  let any = false;
  for (let i = 0; i < 9; i++) {
    const v = cell[i]!;
    if (!Number.isFinite(v)) return false;
    if (v !== 0) any = true;
  }
  return any;
}

export class CellLayer {
  private mesh: LinesMesh | null = null;
  private current: number[] | null = null;
  private color: readonly [number, number, number] = SCENE_COLORS.cell;

  constructor(private readonly scene: Scene) {}

  /** Corners of the drawn cell, or an empty list (for framing). */
  corners(): [number, number, number][] {
    return this.current ? cellCorners(this.current) : [];
  }

  /** Compiles the line shader early: a zero-length edge (no fragments) until a cell arrives. */
  warmUp(): void {
    if (this.mesh) return;
    this.create([[Vector3.Zero(), Vector3.Zero()]]);
  }

  /** Picks a line colour that reads on a background of this colour. */
  setContrast(r: number, g: number, b: number): void {
    const light = 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.55;
    this.color = light ? SCENE_COLORS.cellOnLight : SCENE_COLORS.cell;
    if (this.mesh) this.mesh.color = new Color3(...this.color);
  }

  update(cell: ArrayLike<number> | null): void {
    if (!isDrawableCell(cell)) {
      this.current = null;
      this.mesh?.setEnabled(false);
      return;
    }
    const next = Array.from(cell).slice(0, 9);
    if (this.current && this.mesh && next.every((v, i) => v === this.current![i])) {
      this.mesh.setEnabled(true);
      return;
    }
    this.current = next;
    const corners = cellCorners(next).map(([x, y, z]) => new Vector3(x, y, z));
    const lines = EDGES.map(([p, q]) => [corners[p]!, corners[q]!]);
    if (this.mesh && this.mesh.getTotalVertices() === 2 * EDGES.length) {
      CreateLineSystem('cell', { lines, instance: this.mesh }, this.scene);
    } else {
      this.create(lines);
    }
    this.mesh!.setEnabled(true);
  }

  private create(lines: Vector3[][]): void {
    this.mesh?.dispose();
    const mesh = CreateLineSystem('cell', { lines, updatable: true }, this.scene);
    mesh.color = new Color3(...this.color);
    mesh.isPickable = false;
    mesh.alwaysSelectAsActiveMesh = true;
    this.mesh = mesh;
  }

  dispose(): void {
    this.mesh?.dispose();
  }
}
