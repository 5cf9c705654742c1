/** Fake `nativeImage`: keeps the PNG bytes so tests can decode what the shell drew. */
export class FakeNativeImage {
  private template = false;
  readonly representations: Array<{ scaleFactor: number; png: Buffer }> = [];
  constructor(
    readonly png: Buffer,
    readonly scaleFactor = 1,
    readonly path?: string,
  ) {}
  setTemplateImage(on: boolean): void {
    this.template = on;
  }
  isTemplateImage(): boolean {
    return this.template;
  }
  isEmpty(): boolean {
    return this.png.length === 0 && !this.path;
  }
  toPNG(): Buffer {
    return this.png;
  }
  /** Width and height from the PNG IHDR chunk (logical size = pixels / scale factor). */
  getSize(): { width: number; height: number } {
    if (this.png.length < 24) return { width: 0, height: 0 };
    return {
      width: Math.round(this.png.readUInt32BE(16) / this.scaleFactor),
      height: Math.round(this.png.readUInt32BE(20) / this.scaleFactor),
    };
  }
  addRepresentation(o: { scaleFactor: number; buffer?: Buffer }): void {
    if (o.buffer) this.representations.push({ scaleFactor: o.scaleFactor, png: Buffer.from(o.buffer) });
  }
  resize(): FakeNativeImage {
    return this;
  }
}

export const nativeImage = {
  createFromBuffer(buf: Buffer, opts?: { scaleFactor?: number }): FakeNativeImage {
    if (buf.length >= 8 && buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG buffer');
    return new FakeNativeImage(Buffer.from(buf), opts?.scaleFactor ?? 1);
  },
  createFromPath(path: string): FakeNativeImage {
    return new FakeNativeImage(Buffer.alloc(0), 1, path);
  },
  createEmpty(): FakeNativeImage {
    return new FakeNativeImage(Buffer.alloc(0));
  },
};
