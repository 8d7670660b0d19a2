/**
 * A per-instance vertex attribute of a mesh, grown by doubling (the GPU buffer is replaced
 * only when it must grow; updates write the used part in place). The mesh owns the buffer:
 * disposing the mesh releases it.
 */
import type { Mesh } from '@babylonjs/core/Meshes/mesh';
import { VertexBuffer } from '@babylonjs/core/Buffers/buffer';

export class InstanceAttribute<T extends Float32Array | Uint8Array> {
  private buffer: VertexBuffer | null = null;
  private capacity = 0;
  data: T;

  /**
   * `size`: components per instance; `bytes`: true for normalised unsigned bytes (colours),
   * false for floats.
   */
  constructor(
    private readonly mesh: Mesh,
    private readonly kind: string,
    private readonly size: number,
    private readonly bytes: boolean,
  ) {
    this.data = this.allocate(1);
    this.attach(1);
  }

  /** Makes room for `count` instances (keeps nothing when it grows); returns the data array. */
  reserve(count: number): T {
    if (count > this.capacity) {
      const capacity = Math.max(count, 2 * this.capacity);
      this.data = this.allocate(capacity);
      this.attach(capacity);
    }
    return this.data;
  }

  /** Sends the first `count` instances to the GPU. */
  upload(count: number): void {
    if (count <= 0 || !this.buffer) return;
    this.buffer.updateDirectly(this.data.subarray(0, count * this.size), 0);
  }

  private allocate(capacity: number): T {
    return (this.bytes ? new Uint8Array(capacity * this.size) : new Float32Array(capacity * this.size)) as T;
  }

  private attach(capacity: number): void {
    const engine = this.mesh.getEngine();
    // Removing first drops the geometry's cached vertex array objects, which hold the old buffer.
    if (this.buffer) this.mesh.removeVerticesData(this.kind);
    this.buffer = new VertexBuffer(
      engine,
      this.data,
      this.kind,
      true, // updatable
      false,
      this.size, // stride in elements (bytes for the byte type)
      true, // instanced
      0,
      this.size,
      this.bytes ? VertexBuffer.UNSIGNED_BYTE : VertexBuffer.FLOAT,
      this.bytes, // normalised
    );
    this.mesh.setVerticesBuffer(this.buffer);
    this.capacity = capacity;
  }
}
