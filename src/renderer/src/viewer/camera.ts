/**
 * Camera set-up and framing. Atomistic data is right-handed with z up, so the scene runs in
 * Babylon's right-handed mode (no mirrored chirality) and the orbit camera's up is +z.
 * Left drag orbits, right drag (or ctrl + left drag) pans, the wheel zooms.
 */
import type { Scene } from '@babylonjs/core/scene';
import { ArcRotateCamera } from '@babylonjs/core/Cameras/arcRotateCamera';
import { Vector3 } from '@babylonjs/core/Maths/math.vector';

/** Default view: from front-right-above, x to the right and z up (a 3/4 view of a slab or box). */
const VIEW_DIRECTION = new Vector3(0.45, -1, 0.55).normalize();

export function createCamera(scene: Scene): ArcRotateCamera {
  const camera = new ArcRotateCamera('camera', 0, 1, 10, Vector3.Zero(), scene);
  camera.upVector = new Vector3(0, 0, 1);
  camera.fov = 0.4; // ~23°: mild perspective, close to the orthographic look of crystal viewers
  camera.inertia = 0.6;
  camera.panningInertia = 0;
  camera.angularSensibilityX = 400;
  camera.angularSensibilityY = 400;
  camera.wheelDeltaPercentage = 0.01;
  camera.pinchDeltaPercentage = 0.005;
  // Inputs come through the scene (its canvas); keep default actions, ctrl+left drag pans, right drag pans.
  camera.attachControl(true, true, 2);
  return camera;
}

/** Bounding sphere of points (flat xyz) and extra corners, padded by `pad`. */
export function boundingSphere(
  xyz: ArrayLike<number>,
  extra: readonly (readonly [number, number, number])[],
  pad: number,
): { center: Vector3; radius: number } {
  let minX = Infinity;
  let minY = Infinity;
  let minZ = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let maxZ = -Infinity;
  const visit = (x: number, y: number, z: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    minZ = Math.min(minZ, z);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
    maxZ = Math.max(maxZ, z);
  };
  for (let i = 0; i + 2 < xyz.length; i += 3) visit(xyz[i]!, xyz[i + 1]!, xyz[i + 2]!);
  for (const [x, y, z] of extra) visit(x, y, z);
  if (minX === Infinity) return { center: Vector3.Zero(), radius: 5 };
  const center = new Vector3((minX + maxX) / 2, (minY + maxY) / 2, (minZ + maxZ) / 2);
  let r2 = 0;
  const dist = (x: number, y: number, z: number): void => {
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) return;
    r2 = Math.max(r2, (x - center.x) ** 2 + (y - center.y) ** 2 + (z - center.z) ** 2);
  };
  for (let i = 0; i + 2 < xyz.length; i += 3) dist(xyz[i]!, xyz[i + 1]!, xyz[i + 2]!);
  for (const [x, y, z] of extra) dist(x, y, z);
  return { center, radius: Math.max(Math.sqrt(r2) + pad, 1) };
}

/** Points the camera at a sphere so that it fills the view (both directions), from the default angle. */
export function frameSphere(camera: ArcRotateCamera, center: Vector3, radius: number, aspect: number): void {
  const fovV = camera.fov;
  const fovH = 2 * Math.atan(Math.tan(fovV / 2) * aspect);
  const distance = (radius / Math.sin(Math.min(fovV, fovH) / 2)) * 1.02;
  camera.setTarget(center.clone());
  camera.setPosition(center.add(VIEW_DIRECTION.scale(distance)));
  camera.lowerRadiusLimit = radius * 0.05;
  camera.upperRadiusLimit = distance * 20;
  fitClipPlanes(camera, radius);
}

/**
 * Near/far planes that keep depth precision at every zoom level (`size`: radius of what is
 * framed), and a pan speed that keeps the point under the cursor under the cursor.
 */
export function fitClipPlanes(camera: ArcRotateCamera, size: number): void {
  const d = camera.radius;
  camera.minZ = Math.max(0.01, Math.min(d * 0.05, Math.max(d - 2 * size, 0.01)));
  camera.maxZ = d + 4 * size;
  const height = camera.getEngine().getRenderHeight() || 1;
  // Pixels per Å at the target distance: a pan drag moves the target under the cursor.
  camera.panningSensibility = height / (2 * d * Math.tan(camera.fov / 2));
}
