/**
 * Writes the committed icon files in assets/ from the same drawing code the tray uses:
 *   npx tsx scripts/assets/generate-assets.ts
 * assets/icon.png (1024 px) is the app icon electron-builder turns into .icns/.ico; the tray
 * PNGs are for packaging and docs (the running app draws its tray icons in memory).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawAppIcon, drawTrayIcon, type IconState } from '../../src-main/shell/icons/draw';
import { encodePng } from './png';

export function assetFiles(): Array<{ file: string; png: Buffer }> {
  const out: Array<{ file: string; png: Buffer }> = [{ file: 'icon.png', png: encodePng(drawAppIcon(1024)) }];
  for (const size of [16, 32, 48, 64, 128, 256, 512]) out.push({ file: `icons/${size}x${size}.png`, png: encodePng(drawAppIcon(size)) });
  const states: IconState[] = ['running', 'stopped', 'error'];
  for (const state of states) {
    out.push({ file: `tray/${state}Template.png`, png: encodePng(drawTrayIcon({ state, template: true }, 16)) });
    out.push({ file: `tray/${state}Template@2x.png`, png: encodePng(drawTrayIcon({ state, template: true }, 32)) });
    out.push({ file: `tray/${state}.png`, png: encodePng(drawTrayIcon({ state, template: false }, 32)) });
  }
  return out;
}

export function writeAssets(dir: string): string[] {
  const written: string[] = [];
  for (const { file, png } of assetFiles()) {
    const full = path.join(dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, png);
    written.push(full);
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets');
  for (const f of writeAssets(dir)) process.stdout.write(`${path.relative(process.cwd(), f)}\n`);
}
