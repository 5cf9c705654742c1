/**
 * Tray icon images per state, cached. macOS gets template images (16 pt + @2x); Windows and
 * Linux get coloured 16 px / 32 px images (Linux trays pick the closest size themselves).
 */
import { nativeImage, type NativeImage } from 'electron';
import { drawTrayIcon, type IconState } from './draw';

export interface TrayIconRequest {
  state: IconState;
  /** Fraction left in the tightest quota window (0..1); shown as a gauge when running. */
  gauge?: number;
}

/** Gauges are quantised to 5 % steps so a trickle of quota updates does not redraw the icon. */
export function quantiseGauge(fraction: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * 20) / 20;
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
    const img = nativeImage.createFromBuffer(drawTrayIcon(spec, 16), { scaleFactor: 1 });
    img.addRepresentation({ scaleFactor: 2, buffer: drawTrayIcon(spec, 32) });
    if (this.template) img.setTemplateImage(true);
    this.cache.set(key, img);
    return img;
  }
}
