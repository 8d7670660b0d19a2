/**
 * Atom positions as a float texture (RGB32F, atom i at texel (i mod W, i div W)), read by the
 * sphere and bond shaders through texelFetch. A new trajectory frame is one upload of 12
 * bytes per atom; the texture is re-created only when the atom count outgrows it.
 */
import type { Scene } from '@babylonjs/core/scene';
import { RawTexture } from '@babylonjs/core/Materials/Textures/rawTexture';
import { Constants } from '@babylonjs/core/Engines/constants';

/** Texture width in texels (WebGL2 guarantees at least 2048). */
export const POSITION_TEXTURE_WIDTH = 2048;

export class PositionTexture {
  private texture: RawTexture | null = null;
  private staging = new Float32Array(0);
  private rows = 0;

  constructor(private readonly scene: Scene) {}

  get width(): number {
    return POSITION_TEXTURE_WIDTH;
  }

  /** The texture (a 1-texel one before any data, so shaders can compile early). */
  get current(): RawTexture {
    if (!this.texture) this.allocate(1);
    return this.texture!;
  }

  /** Uploads the positions (flat xyz, Å) of `count` atoms. */
  update(positions: Float32Array, count: number): void {
    const rows = Math.max(1, Math.ceil(count / POSITION_TEXTURE_WIDTH));
    if (!this.texture || rows > this.rows) this.allocate(rows);
    this.staging.set(positions.subarray(0, 3 * count));
    this.texture!.update(this.staging);
  }

  dispose(): void {
    this.texture?.dispose();
    this.texture = null;
  }

  private allocate(rows: number): void {
    this.texture?.dispose();
    this.rows = rows;
    this.staging = new Float32Array(3 * POSITION_TEXTURE_WIDTH * rows);
    this.texture = new RawTexture(
      this.staging,
      POSITION_TEXTURE_WIDTH,
      rows,
      Constants.TEXTUREFORMAT_RGB,
      this.scene,
      false,
      false,
      Constants.TEXTURE_NEAREST_SAMPLINGMODE,
      Constants.TEXTURETYPE_FLOAT,
    );
    this.texture.wrapU = Constants.TEXTURE_CLAMP_ADDRESSMODE;
    this.texture.wrapV = Constants.TEXTURE_CLAMP_ADDRESSMODE;
  }
}
