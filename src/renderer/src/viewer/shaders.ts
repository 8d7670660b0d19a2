/**
 * GLSL of the impostor layers (WebGL2; written GLSL 1 style, which Babylon's shader processor
 * turns into GLSL ES 3.00, so texelFetch, gl_InstanceID, flat varyings and gl_FragDepth are
 * available).
 *
 * Atom positions live in one RGB32F texture (atom i at texel (i mod W, i div W)), shared by
 * the sphere and bond layers: a new trajectory frame is one texture upload, whatever is drawn.
 *
 * Everything is shaded in view space with lights fixed to the camera (the look of the former
 * StandardMaterial set-up): a hemispheric sky/ground light from the screen's up, a key light
 * from above-left of the viewer, and a soft Blinn-Phong highlight. Depth cueing blends towards
 * the background colour with view distance.
 *
 * Babylon's shader processor breaks lines after every ';', comments included: no ';' (and
 * only ASCII) in the comments of the GLSL below.
 */

const PRECISION = /* glsl */ `
precision highp float;
precision highp int;
precision highp sampler2D;
`;

/** Position of atom i from the position texture. */
const FETCH = /* glsl */ `
uniform sampler2D positionsTex;
uniform int texWidth;
vec3 atomPosition(int i) {
  return texelFetch(positionsTex, ivec2(i - (i / texWidth) * texWidth, i / texWidth), 0).xyz;
}
`;

/** Lighting, depth cueing and the fragment depth of a view-space point. */
const SHADE = /* glsl */ `
uniform mat4 projection;
uniform vec3 fogColor;
uniform vec3 fogParams; // start distance, end distance, strength (0 is off)

vec3 shade(vec3 albedo, vec3 n, vec3 toEye) {
  const vec3 KEY = vec3(-0.3305, 0.4545, 0.8264);   // normalize(-0.4, 0.55, 1)
  const vec3 SKY = vec3(0.0, 0.9578, 0.2873);       // normalize(0, 1, 0.3)
  float hemi = 0.5 + 0.5 * dot(n, SKY);
  vec3 ambient = mix(vec3(0.28, 0.28, 0.30), vec3(1.0), hemi) * 0.5;
  float diffuse = max(dot(n, KEY), 0.0) * 0.55;
  vec3 h = normalize(KEY + toEye);
  float spec = pow(max(dot(n, h), 0.0), 40.0) * 0.28;
  return albedo * (ambient + diffuse) + vec3(spec);
}

vec3 depthCue(vec3 c, float distance) {
  if (fogParams.z <= 0.0 || fogParams.y <= fogParams.x) return c;
  float f = clamp((distance - fogParams.x) / (fogParams.y - fogParams.x), 0.0, 1.0);
  return mix(c, fogColor, f * fogParams.z);
}

/** Window depth of view-space point p (default depth range, NDC z in [-1, 1]). */
float fragmentDepth(vec3 p) {
  vec4 clip = projection * vec4(p, 1.0);
  return 0.5 * (clip.z / clip.w) + 0.5;
}
`;

/** Ray of the fragment in view space: origin near `near` (for float precision far away), unit direction. */
const RAY = /* glsl */ `
uniform float orthographic;
void viewRay(vec3 proxyPoint, vec3 near, out vec3 origin, out vec3 dir) {
  if (orthographic > 0.5) {
    dir = vec3(0.0, 0.0, -1.0);
    origin = proxyPoint + dir * dot(near - proxyPoint, dir);
  } else {
    dir = normalize(proxyPoint);
    origin = dir * dot(near, dir);
  }
}
`;

// ---- spheres ---------------------------------------------------------------------------

export const SPHERE_VERTEX = /* glsl */ `${PRECISION}
attribute vec3 position;     // quad corner, x and y in {-1, 1}
attribute vec4 atomColor;    // per instance
attribute float atomRadius;  // per instance, in Angstrom (0 hides the atom)
uniform mat4 view;
uniform mat4 projection;
uniform float orthographic;
uniform float pointSize;     // above 0: points of this many pixels in radius
uniform vec2 viewportSize;
${FETCH}
varying vec3 vProxy;
varying vec2 vCorner;
flat varying vec3 vCenter;
flat varying float vRadius;
flat varying vec3 vColor;

void main() {
  vec3 c = (view * vec4(atomPosition(gl_InstanceID), 1.0)).xyz;
  float r = atomRadius;
  vCenter = c;
  vRadius = r;
  vColor = atomColor.rgb;
  vCorner = position.xy;
  vProxy = c;
  if (r <= 0.0) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: no fragments
    return;
  }
  if (pointSize > 0.0) {
    vec4 clip = projection * vec4(c, 1.0);
    clip.xy += position.xy * (2.0 * pointSize / viewportSize) * clip.w;
    gl_Position = clip;
    return;
  }
  vec3 right = vec3(1.0, 0.0, 0.0);
  vec3 up = vec3(0.0, 1.0, 0.0);
  float s = r;
  if (orthographic < 0.5) {
    // A quad perpendicular to the eye ray through the centre, as wide as the tangent cone there.
    float d = length(c);
    if (d <= r * 1.0001) {
      gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // the eye is inside this atom
      return;
    }
    vec3 w = c / d;
    right = normalize(cross(abs(w.y) < 0.99 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0), w));
    up = cross(w, right);
    s = r * d / sqrt(d * d - r * r);
  }
  vec3 p = c + (position.x * right + position.y * up) * s;
  vProxy = p;
  gl_Position = projection * vec4(p, 1.0);
}
`;

export const SPHERE_FRAGMENT = /* glsl */ `${PRECISION}
uniform float pointSize;
${SHADE}
${RAY}
varying vec3 vProxy;
varying vec2 vCorner;
flat varying vec3 vCenter;
flat varying float vRadius;
flat varying vec3 vColor;

void main() {
  if (pointSize > 0.0) {
    float q = dot(vCorner, vCorner);
    if (q > 1.0) discard;
    vec3 n = vec3(vCorner, sqrt(1.0 - q));
    gl_FragDepth = gl_FragCoord.z;
    gl_FragColor = vec4(depthCue(shade(vColor, n, vec3(0.0, 0.0, 1.0)), -vCenter.z), 1.0);
    return;
  }
  vec3 o;
  vec3 dir;
  viewRay(vProxy, vCenter, o, dir);
  vec3 oc = o - vCenter;
  float b = dot(dir, oc);
  float disc = b * b - (dot(oc, oc) - vRadius * vRadius);
  if (disc < 0.0) discard;
  vec3 hit = o + dir * (-b - sqrt(disc));
  vec3 n = (hit - vCenter) / vRadius;
  float depth = fragmentDepth(hit);
  if (depth < 0.0) discard; // in front of the near plane
  gl_FragDepth = depth;
  gl_FragColor = vec4(depthCue(shade(vColor, n, -dir), -hit.z), 1.0);
}
`;

// ---- bonds -----------------------------------------------------------------------------

/**
 * Shared by both bond variants: each instance is a half bond from atom i towards atom j
 * (the nearest periodic image of j along periodic axes), in i's colour, ending at the
 * midpoint. A bond that crosses a periodic boundary is so drawn as two half bonds, one at
 * each side of the cell.
 */
const HALF_BOND = /* glsl */ `
attribute vec2 bondAtoms;    // per instance: i, j (float, exact below 2^24)
attribute vec4 bondColor;    // per instance
uniform mat4 view;
uniform float bondRadius;
uniform mat3 cellMatrix;     // columns a, b, c (Angstrom)
uniform mat3 cellInverse;
uniform vec3 periodic;       // 1 per periodic axis
${FETCH}
/** View-space ends A (at atom i) and B (the midpoint); false when degenerate. */
bool halfBond(out vec3 A, out vec3 B) {
  vec3 pi = atomPosition(int(bondAtoms.x + 0.5));
  vec3 pj = atomPosition(int(bondAtoms.y + 0.5));
  vec3 d = pj - pi;
  if (dot(periodic, periodic) > 0.0) {
    vec3 f = cellInverse * d;
    f -= periodic * floor(f + 0.5);
    d = cellMatrix * f;
  }
  A = (view * vec4(pi, 1.0)).xyz;
  B = (view * vec4(pi + 0.5 * d, 1.0)).xyz;
  return bondRadius > 0.0 && dot(d, d) > 1e-8;
}
`;

/**
 * Cylinder impostor proxy: one quad in the plane through the half bond's midpoint M facing
 * the eye, bounding the central projection of the capsule around the segment (which holds
 * the capped cylinder). Each end X projects to X' on that plane with a disc of radius
 * r d_M / (d_X - r), d the depth along the view direction, and the quad spans both discs.
 */
export const CYLINDER_VERTEX = /* glsl */ `${PRECISION}
attribute vec3 position;     // quad corner, x across and y along the bond, in {-1, 1}
uniform mat4 projection;
uniform float orthographic;
${HALF_BOND}
varying vec3 vProxy;
flat varying vec3 vA;
flat varying vec3 vB;
flat varying vec3 vColor;

void main() {
  vec3 A;
  vec3 B;
  vColor = bondColor.rgb;
  if (!halfBond(A, B)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    return;
  }
  vA = A;
  vB = B;
  vec3 M = 0.5 * (A + B);
  vec3 e = orthographic > 0.5 ? vec3(0.0, 0.0, 1.0) : -normalize(M);
  vec3 Ap = A;
  vec3 Bp = B;
  float rA = bondRadius;
  float rB = bondRadius;
  if (orthographic > 0.5) {
    Ap.z = M.z;
    Bp.z = M.z;
  } else {
    float dM = dot(M, -e);
    float dA = dot(A, -e);
    float dB = dot(B, -e);
    if (min(dA, dB) <= bondRadius * 1.001) {
      gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // reaches behind the eye
      return;
    }
    Ap = A * (dM / dA);
    Bp = B * (dM / dB);
    rA = bondRadius * dM / (dA - bondRadius);
    rB = bondRadius * dM / (dB - bondRadius);
  }
  vec3 t = Bp - Ap;
  t -= e * dot(t, e);
  float lt = length(t);
  t = lt > 1e-6 * bondRadius ? t / lt : normalize(cross(e, abs(e.y) < 0.99 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0)));
  vec3 s = cross(t, e);
  float ta = dot(Ap - M, t);
  float tb = dot(Bp - M, t);
  float lo = min(ta - rA, tb - rB);
  float hi = max(ta + rA, tb + rB);
  float side = max(rA, rB);
  vec3 p = M + t * mix(lo, hi, position.y * 0.5 + 0.5) + s * (position.x * side);
  vProxy = p;
  gl_Position = projection * vec4(p, 1.0);
}
`;

export const CYLINDER_FRAGMENT = /* glsl */ `${PRECISION}
uniform float bondRadius;
${SHADE}
${RAY}
varying vec3 vProxy;
flat varying vec3 vA;
flat varying vec3 vB;
flat varying vec3 vColor;

void main() {
  vec3 o;
  vec3 rd;
  viewRay(vProxy, 0.5 * (vA + vB), o, rd);
  // Capped cylinder intersection (after I. Quilez).
  vec3 ba = vB - vA;
  vec3 oc = o - vA;
  float baba = dot(ba, ba);
  float bard = dot(ba, rd);
  float baoc = dot(ba, oc);
  float k2 = baba - bard * bard;
  float k1 = baba * dot(oc, rd) - baoc * bard;
  float k0 = baba * dot(oc, oc) - baoc * baoc - bondRadius * bondRadius * baba;
  float h = k1 * k1 - k2 * k0;
  if (h < 0.0) discard;
  h = sqrt(h);
  float t = (-k1 - h) / k2;
  float y = baoc + t * bard;
  vec3 n;
  if (y > 0.0 && y < baba) {
    n = (oc + t * rd - ba * y / baba) / bondRadius;
  } else {
    t = ((y < 0.0 ? 0.0 : baba) - baoc) / bard;
    if (abs(k1 + k2 * t) >= h) discard;
    n = ba * sign(y) / sqrt(baba);
  }
  vec3 hit = o + rd * t;
  float depth = fragmentDepth(hit);
  if (depth < 0.0) discard;
  gl_FragDepth = depth;
  gl_FragColor = vec4(depthCue(shade(vColor, normalize(n), -rd), -hit.z), 1.0);
}
`;

/** Instanced cylinder mesh: an open tube of a few segments, normals per vertex. */
export const TUBE_VERTEX = /* glsl */ `${PRECISION}
attribute vec3 position;     // (cos, sin, s): s = 0 at atom i, 1 at the midpoint
uniform mat4 projection;
${HALF_BOND}
varying vec3 vNormal;
varying vec3 vView;
flat varying vec3 vColor;

void main() {
  vec3 A;
  vec3 B;
  vColor = bondColor.rgb;
  if (!halfBond(A, B)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    return;
  }
  vec3 axis = B - A;
  vec3 w = normalize(axis);
  vec3 u = normalize(cross(abs(w.y) < 0.99 ? vec3(0.0, 1.0, 0.0) : vec3(1.0, 0.0, 0.0), w));
  vec3 v = cross(w, u);
  vec3 radial = u * position.x + v * position.y;
  vec3 p = A + axis * position.z + radial * bondRadius;
  vNormal = radial;
  vView = p;
  gl_Position = projection * vec4(p, 1.0);
}
`;

export const TUBE_FRAGMENT = /* glsl */ `${PRECISION}
uniform float orthographic;
${SHADE}
varying vec3 vNormal;
varying vec3 vView;
flat varying vec3 vColor;

void main() {
  vec3 toEye = orthographic > 0.5 ? vec3(0.0, 0.0, 1.0) : normalize(-vView);
  vec3 n = normalize(vNormal);
  if (dot(n, toEye) < 0.0) n = -n; // the inside of an open end
  gl_FragColor = vec4(depthCue(shade(vColor, n, toEye), -vView.z), 1.0);
}
`;
