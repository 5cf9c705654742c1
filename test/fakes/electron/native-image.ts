/**
 * Fake `nativeImage`, with Electron 41's semantics (shell/common/api/electron_api_native_image.cc
 * and skia_util.cc): bitmaps are Skia N32 premultiplied pixels (B, G, R, A); `createFromBitmap`
 * throws on a non-Buffer, a missing width or height, or a length other than width × height × 4,
 * and gives an empty image for a zero size; `addRepresentation` tries PNG, then a bitmap of at
 * least width × height × 4 bytes, and silently adds nothing otherwise; `toPNG` encodes the
 * representation closest to the scale factor asked for (default 1), un-premultiplied.
 */
import { decodePng, encodePng } from '../../../scripts/assets/png';

interface Rep {
  scaleFactor: number;
  width: number;
  height: number;
  /** N32 premultiplied (BGRA). */
  bitmap: Buffer;
}

const isPng = (buf: Buffer) => buf.length >= 8 && buf.readUInt32BE(0) === 0x89504e47;

function repFromPng(png: Buffer, scaleFactor: number): Rep {
  const r = decodePng(png);
  const bitmap = Buffer.alloc(r.width * r.height * 4);
  for (let i = 0; i < bitmap.length; i += 4) {
    const a = r.data[i + 3];
    bitmap[i] = Math.round((r.data[i + 2] * a) / 255);
    bitmap[i + 1] = Math.round((r.data[i + 1] * a) / 255);
    bitmap[i + 2] = Math.round((r.data[i] * a) / 255);
    bitmap[i + 3] = a;
  }
  return { scaleFactor, width: r.width, height: r.height, bitmap };
}

function pngOf(rep: Rep): Buffer {
  const data = new Uint8Array(rep.width * rep.height * 4);
  for (let i = 0; i < data.length; i += 4) {
    const a = rep.bitmap[i + 3];
    const un = (v: number) => (a === 0 ? 0 : Math.min(255, Math.round((v * 255) / a)));
    data[i] = un(rep.bitmap[i + 2]);
    data[i + 1] = un(rep.bitmap[i + 1]);
    data[i + 2] = un(rep.bitmap[i]);
    data[i + 3] = a;
  }
  return encodePng({ width: rep.width, height: rep.height, data });
}

export class FakeNativeImage {
  private template = false;
  readonly representations: Rep[] = [];
  constructor(readonly path?: string) {}

  setTemplateImage(on: boolean): void {
    this.template = on;
  }
  isTemplateImage(): boolean {
    return this.template;
  }
  isEmpty(): boolean {
    return this.representations.length === 0 && !this.path;
  }
  getScaleFactors(): number[] {
    return this.representations.map((r) => r.scaleFactor);
  }
  /** The representation closest to `scaleFactor` (what Skia's GetRepresentation picks). */
  private rep(scaleFactor = 1): Rep | undefined {
    let best: Rep | undefined;
    for (const r of this.representations) if (!best || Math.abs(r.scaleFactor - scaleFactor) < Math.abs(best.scaleFactor - scaleFactor)) best = r;
    return best;
  }
  toPNG(o: { scaleFactor?: number } = {}): Buffer {
    const r = this.rep(o.scaleFactor);
    return r ? pngOf(r) : Buffer.alloc(0);
  }
  toBitmap(o: { scaleFactor?: number } = {}): Buffer {
    return Buffer.from(this.rep(o.scaleFactor)?.bitmap ?? Buffer.alloc(0));
  }
  /** Logical size: the representation's pixels over its scale factor. */
  getSize(scaleFactor?: number): { width: number; height: number } {
    const r = this.rep(scaleFactor);
    if (!r) return { width: 0, height: 0 };
    return { width: Math.round(r.width / r.scaleFactor), height: Math.round(r.height / r.scaleFactor) };
  }
  addRepresentation(o: { scaleFactor?: number; width?: number; height?: number; buffer?: Buffer; dataURL?: string }): void {
    const scaleFactor = o.scaleFactor ?? 1;
    if (!o.buffer) return;
    if (isPng(o.buffer)) return void this.representations.push(repFromPng(o.buffer, scaleFactor));
    const width = o.width ?? 0;
    const height = o.height ?? 0;
    if (width === 0 || height === 0 || o.buffer.length < width * height * 4) return;
    this.representations.push({ scaleFactor, width, height, bitmap: Buffer.from(o.buffer.subarray(0, width * height * 4)) });
  }
  resize(): FakeNativeImage {
    return this;
  }
}

export const nativeImage = {
  createFromBitmap(buffer: Buffer, options: { width: number; height: number; scaleFactor?: number }): FakeNativeImage {
    if (!Buffer.isBuffer(buffer)) throw new Error('buffer must be a node Buffer');
    if (options?.width === undefined) throw new Error('width is required');
    if (options.height === undefined) throw new Error('height is required');
    if (buffer.length !== options.width * options.height * 4) throw new Error('invalid buffer size');
    const img = new FakeNativeImage();
    if (options.width === 0 || options.height === 0) return img;
    img.representations.push({ scaleFactor: options.scaleFactor ?? 1, width: options.width, height: options.height, bitmap: Buffer.from(buffer) });
    return img;
  },
  /** PNG (or a bitmap with width and height); anything else gives an empty image, as in Electron. */
  createFromBuffer(buffer: Buffer, options: { width?: number; height?: number; scaleFactor?: number } = {}): FakeNativeImage {
    if (!Buffer.isBuffer(buffer)) throw new Error('buffer must be a node Buffer');
    const img = new FakeNativeImage();
    img.addRepresentation({ ...options, buffer });
    return img;
  },
  createFromPath(path: string): FakeNativeImage {
    return new FakeNativeImage(path);
  },
  createEmpty(): FakeNativeImage {
    return new FakeNativeImage();
  },
};
