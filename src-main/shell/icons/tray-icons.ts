/**
 * Tray icon images per state, cached. macOS gets template images (16 pt + @2x); Windows and
 * Linux get coloured 16 px / 32 px images (Linux trays pick the closest size themselves).
 * The pixels go to Electron as raw bitmaps: no PNG is encoded at run time.
 */
import { nativeImage, type NativeImage } from 'electron';
import { drawTrayIcon, type IconState, type Raster } from './draw';

export interface TrayIconRequest {
  state: IconState;
  /** Fraction left in the tightest quota window (0..1); shown as a gauge when running. */
  gauge?: number;
}

/** Gauges are quantised to 5 % steps so a trickle of quota updates does not redraw the icon. */
export function quantiseGauge(fraction: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * 20) / 20;
}

/**
 * `nativeImage` bitmaps are Skia's N32 format with premultiplied alpha: B, G, R, A per pixel
 * (the byte order Electron documents for every platform), colour already multiplied by alpha.
 * Electron refuses a buffer whose length is not width × height × 4.
 */
export function toBitmap(r: Raster): Buffer {
  const out = Buffer.alloc(r.width * r.height * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = r.data[i + 3];
    out[i] = Math.round((r.data[i + 2] * a) / 255);
    out[i + 1] = Math.round((r.data[i + 1] * a) / 255);
    out[i + 2] = Math.round((r.data[i] * a) / 255);
    out[i + 3] = a;
  }
  return out;
}

export class TrayIcons {
  private cache = new Map<string, NativeImage>();
  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  get template(): boolean {
    return this.platform === 'darwin';
  }

  key(req: TrayIconRequest): string {
    const gauge = req.state === 'running' && req.gauge !== undefined ? quantiseGauge(req.gauge) : undefined;
    return `${req.state}:${gauge ?? '-'}:${this.template ? 't' : 'c'}`;
  }

  image(req: TrayIconRequest): NativeImage {
    const key = this.key(req);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const gauge = req.state === 'running' && req.gauge !== undefined ? quantiseGauge(req.gauge) : undefined;
    const spec = { state: req.state, gauge, template: this.template };
    const x1 = drawTrayIcon(spec, 16);
    const x2 = drawTrayIcon(spec, 32);
    const img = nativeImage.createFromBitmap(toBitmap(x1), { width: x1.width, height: x1.height, scaleFactor: 1 });
    img.addRepresentation({ scaleFactor: 2, width: x2.width, height: x2.height, buffer: toBitmap(x2) });
    if (this.template) img.setTemplateImage(true);
    this.cache.set(key, img);
    return img;
  }
}
