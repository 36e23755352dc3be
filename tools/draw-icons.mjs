// Draws the Teams app icons into manifest/ (color.png 192×192, outline.png 32×32).
// The PNGs are committed; rerun `node tools/draw-icons.mjs` only when the design changes.
// Shapes are described in a 24-unit grid (like Fluent/Material icons) and rasterised with
// supersampling, so edges are anti-aliased without pulling in a vector renderer.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const manifestDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'manifest');

// Kept equal to the manifest's accentColor: Teams shows the accent colour around the icon.
const BRAND = [0x0e, 0x6b, 0x73];
const WHITE = [0xff, 0xff, 0xff];
// The shield's shaded right half: white tinted towards the brand colour, for a little depth.
const SHADE = [0xd3, 0xea, 0xec];

/** Flattens a cubic Bézier from p0 to p3 into points (p0 excluded). */
function cubic(p0, p1, p2, p3, steps = 48) {
  const points = [];
  for (let i = 1; i <= steps; i += 1) {
    const t = i / steps;
    const u = 1 - t;
    const a = u * u * u;
    const b = 3 * u * u * t;
    const c = 3 * u * t * t;
    const d = t * t * t;
    points.push([
      a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
      a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
    ]);
  }
  return points;
}

// The classic security shield in the 24-unit grid: a peak at the top centre, straight
// shoulders and sides, and two curves meeting at the bottom point.
const SHIELD = [
  [12, 1],
  [3, 5],
  [3, 11],
  ...cubic([3, 11], [3, 16.55], [6.84, 21.74], [12, 23]),
  ...cubic([12, 23], [17.16, 21.74], [21, 16.55], [21, 11]),
  [21, 5],
];

// A tick, drawn as a thick polyline with round caps and joins.
const TICK = [
  [7.6, 12.3],
  [10.6, 15.3],
  [16.4, 9.3],
];

function distanceToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t = lengthSquared === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / lengthSquared;
  const clamped = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + clamped * dx), py - (ay + clamped * dy));
}

/** Even-odd point-in-polygon test (cheap: the colour icon only needs inside or outside). */
function isInside(polygon, px, py) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const a = polygon[i];
    const b = polygon[j];
    if (a[1] > py !== b[1] > py && px < ((b[0] - a[0]) * (py - a[1])) / (b[1] - a[1]) + a[0]) {
      inside = !inside;
    }
  }
  return inside;
}

/** Signed distance to a closed polygon: negative inside, positive outside. */
function signedDistance(polygon, px, py) {
  let nearest = Infinity;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    nearest = Math.min(nearest, distanceToSegment(px, py, polygon[i], polygon[j]));
  }
  return isInside(polygon, px, py) ? -nearest : nearest;
}

function distanceToPolyline(polyline, px, py) {
  let nearest = Infinity;
  for (let i = 1; i < polyline.length; i += 1) {
    nearest = Math.min(nearest, distanceToSegment(px, py, polyline[i - 1], polyline[i]));
  }
  return nearest;
}

/**
 * Renders a size×size RGBA image. `paint(x, y)` gets a point in grid units and returns
 * [r, g, b, a] (a in 0..1) for that sample; samples×samples of them are averaged per pixel.
 */
function render(size, scale, samples, paint) {
  const png = new PNG({ width: size, height: size, colorType: 6 });
  // Centre the 24-unit grid's middle (12, 12) on the image's middle.
  const toGrid = (pixel) => (pixel - size / 2) / scale + 12;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const [cr, cg, cb, ca] = paint(
            toGrid(x + (sx + 0.5) / samples),
            toGrid(y + (sy + 0.5) / samples),
          );
          // Premultiplied accumulation, so transparent samples do not darken the edge colour.
          r += cr * ca;
          g += cg * ca;
          b += cb * ca;
          a += ca;
        }
      }
      const offset = (y * size + x) * 4;
      png.data[offset] = a === 0 ? 255 : Math.round(r / a);
      png.data[offset + 1] = a === 0 ? 255 : Math.round(g / a);
      png.data[offset + 2] = a === 0 ? 255 : Math.round(b / a);
      png.data[offset + 3] = Math.round((a / (samples * samples)) * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

// Colour icon: a white shield with a brand-coloured tick on a full-bleed brand square.
// The shield is about 120 px tall, inside the central area Teams keeps clear of its own
// rounding and badges.
function drawColor() {
  const size = 192;
  const scale = 5.4;
  const tickHalfWidth = 1.25;
  return render(size, scale, 8, (gx, gy) => {
    if (distanceToPolyline(TICK, gx, gy) <= tickHalfWidth) return [...BRAND, 1];
    if (isInside(SHIELD, gx, gy)) return [...(gx < 12 ? WHITE : SHADE), 1];
    return [...BRAND, 1];
  });
}

// Outline icon: the same shield as a white outline with a white tick, on transparency.
// Teams tints it, so every visible pixel must be pure white; only alpha varies.
function drawOutline() {
  const size = 32;
  // 11/9 puts the shield's straight sides on whole pixels (x = 5..27), so they stay crisp.
  const scale = 11 / 9;
  const strokeWidth = 2 / scale;
  const tickHalfWidth = 1 / scale;
  return render(size, scale, 16, (gx, gy) => {
    const d = signedDistance(SHIELD, gx, gy);
    const onOutline = d <= 0 && d >= -strokeWidth;
    const onTick = distanceToPolyline(TICK, gx, gy) <= tickHalfWidth;
    return [...WHITE, onOutline || onTick ? 1 : 0];
  });
}

writeFileSync(path.join(manifestDir, 'color.png'), drawColor());
writeFileSync(path.join(manifestDir, 'outline.png'), drawOutline());
process.stdout.write(`Icons written to ${manifestDir}\n`);
