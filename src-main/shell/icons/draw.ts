/**
 * Tray and app icons drawn in code. One glyph (a ring, the "yard", with a state mark inside),
 * rendered as a macOS template image (black + alpha; the OS tints it for light/dark menu bars)
 * or in colour for Windows and Linux trays, where template images do not exist.
 */
/** An RGBA raster (straight alpha): 4 bytes per pixel, rows top to bottom. */
export interface Raster {
  width: number;
  height: number;
  data: Uint8Array;
}

export function createRaster(width: number, height: number): Raster {
  return { width, height, data: new Uint8Array(width * height * 4) };
}

export type IconState = 'running' | 'stopped' | 'error';
export type Rgba = readonly [number, number, number, number];

/** A shape in unit coordinates (0..1, y down): true where the point is covered. */
type Shape = (x: number, y: number) => boolean;
interface Layer {
  shape: Shape;
  color: Rgba;
}

export const COLORS = {
  running: [46, 182, 125, 255],
  stopped: [138, 143, 152, 255],
  error: [229, 72, 77, 255],
  amber: [245, 165, 36, 255],
  template: [0, 0, 0, 255],
  background: [31, 41, 55, 255],
} as const satisfies Record<string, Rgba>;

const C = 0.5;
const dist = (x: number, y: number) => Math.hypot(x - C, y - C);
const ring: Shape = (x, y) => {
  const d = dist(x, y);
  return d <= 0.46 && d >= 0.33;
};
const dot: Shape = (x, y) => dist(x, y) <= 0.2;
const cross: Shape = (x, y) => {
  if (dist(x, y) > 0.24) return false;
  const a = Math.abs(x - C - (y - C));
  const b = Math.abs(x - C + (y - C));
  return a <= 0.09 || b <= 0.09;
};
/** The inner disc filled from the bottom up to `level` (0..1). */
const gaugeFill = (level: number): Shape => {
  const inner = 0.27;
  const top = C + inner - 2 * inner * level;
  return (x, y) => dist(x, y) <= inner && y >= top;
};
const gaugeOutline: Shape = (x, y) => {
  const d = dist(x, y);
  return d <= 0.27 && d >= 0.23;
};

/** Colour of a quota gauge by what is left: plenty, getting low, nearly gone. */
export function gaugeColor(remainingFraction: number): Rgba {
  if (remainingFraction <= 0.2) return COLORS.error;
  if (remainingFraction <= 0.5) return COLORS.amber;
  return COLORS.running;
}

export interface IconSpec {
  state: IconState;
  /** Fraction (0..1) left in the tightest quota window; draws the gauge variant when set. */
  gauge?: number;
  template: boolean;
}

function layersFor(spec: IconSpec): Layer[] {
  const tint = (c: Rgba): Rgba => (spec.template ? COLORS.template : c);
  const ringColor = tint(COLORS[spec.state]);
  if (spec.state === 'error') return [{ shape: ring, color: ringColor }, { shape: cross, color: ringColor }];
  if (spec.gauge !== undefined && spec.state === 'running') {
    const level = Math.min(1, Math.max(0, spec.gauge));
    const fill = tint(gaugeColor(level));
    return [
      { shape: ring, color: ringColor },
      { shape: gaugeOutline, color: fill },
      { shape: gaugeFill(level), color: fill },
    ];
  }
  if (spec.state === 'running') return [{ shape: ring, color: ringColor }, { shape: dot, color: ringColor }];
  // Stopped: the hollow ring alone; on a template image it is also drawn lighter.
  return [{ shape: ring, color: spec.template ? [0, 0, 0, 140] : ringColor }];
}

/** Rasterise layers with `ss`×`ss` supersampling for smooth edges. */
export function rasterize(layers: Layer[], size: number, ss = 4, background?: { color: Rgba; radius: number }): Raster {
  const r = createRaster(size, size);
  const n = ss * ss;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let ar = 0;
      let ag = 0;
      let ab = 0;
      let aa = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let col: Rgba | undefined;
          if (background && insideRoundedSquare(x, y, background.radius)) col = background.color;
          for (const l of layers) if (l.shape(x, y)) col = l.color;
          if (!col) continue;
          const a = col[3] / 255;
          ar += col[0] * a;
          ag += col[1] * a;
          ab += col[2] * a;
          aa += a;
        }
      }
      const i = (py * size + px) * 4;
      if (aa > 0) {
        r.data[i] = Math.round(ar / aa);
        r.data[i + 1] = Math.round(ag / aa);
        r.data[i + 2] = Math.round(ab / aa);
      }
      r.data[i + 3] = Math.round((aa / n) * 255);
    }
  }
  return r;
}

function insideRoundedSquare(x: number, y: number, radius: number): boolean {
  const m = 0.04;
  const lo = m + radius;
  const hi = 1 - m - radius;
  const cx = Math.min(Math.max(x, lo), hi);
  const cy = Math.min(Math.max(y, lo), hi);
  return x >= m && x <= 1 - m && y >= m && y <= 1 - m && Math.hypot(x - cx, y - cy) <= radius;
}

/** A tray icon at `px` pixels square. */
export function drawTrayIcon(spec: IconSpec, px: number): Raster {
  return rasterize(layersFor(spec), px);
}

/** The application icon: the running glyph on a dark rounded square. */
export function drawAppIcon(px: number): Raster {
  const scale = (s: Shape): Shape => (x, y) => s(C + (x - C) / 0.7, C + (y - C) / 0.7);
  const layers: Layer[] = [
    { shape: scale(ring), color: COLORS.running },
    { shape: scale(dot), color: COLORS.running },
  ];
  return rasterize(layers, px, px >= 256 ? 2 : 4, { color: COLORS.background, radius: 0.2 });
}
