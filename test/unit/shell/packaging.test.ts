import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assetFiles } from '../../../scripts/assets/generate-assets';
import { decodePng } from '../../../scripts/assets/png';

const root = path.resolve(__dirname, '../../..');
interface Targets {
  target: Array<{ target: string }>;
  icon: string;
}
interface BuilderConfig {
  appId: string;
  productName: string;
  extraMetadata: { main: string };
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  electronFuses: Record<string, boolean>;
  publish: { provider: string; repo: string };
  directories: { buildResources: string };
  mac: Targets;
  win: Targets;
  linux: Targets;
}
const cfg = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('names the app and ships the built bundles', () => {
    expect(cfg.appId).toBe('dev.switchyard.app');
    expect(cfg.productName).toBe('Switchyard');
    expect(cfg.extraMetadata.main).toBe('dist/main/main.js');
    expect(cfg.files).toEqual(expect.arrayContaining(['dist/main/**/*', 'dist/preload/**/*', 'dist/renderer/**/*', 'package.json']));
  });

  it('targets mac dmg+zip, win nsis, linux AppImage+deb', () => {
    expect(cfg.mac.target.map((t) => t.target)).toEqual(['dmg', 'zip']);
    expect(cfg.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(cfg.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
  });

  it('unpacks native modules from the asar archive', () => {
    expect(cfg.asar).toBe(true);
    expect(cfg.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/keytar/**', '**/node_modules/better-sqlite3/**', '**/*.node']));
  });

  it('flips the security fuses after pack', () => {
    expect(cfg.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('publishes to GitHub releases (what electron-updater reads)', () => {
    expect(cfg.publish.provider).toBe('github');
    expect(cfg.publish.repo).toBe('switchyard');
  });

  it('points at icons that exist and are big enough', () => {
    expect(cfg.directories.buildResources).toBe('assets');
    const icon = decodePng(readFileSync(path.join(root, cfg.mac.icon)));
    expect(icon.width).toBeGreaterThanOrEqual(512);
    expect(existsSync(path.join(root, cfg.win.icon))).toBe(true);
    for (const s of [16, 32, 48, 256, 512]) expect(existsSync(path.join(root, cfg.linux.icon, `${s}x${s}.png`))).toBe(true);
  });
});

describe('assets/', () => {
  it('match what the drawing code produces (regenerate with generate-assets.ts)', () => {
    for (const { file, png } of assetFiles().filter((f) => f.file !== 'icon.png')) {
      expect(readFileSync(path.join(root, 'assets', file)).equals(png), file).toBe(true);
    }
  });

  it('template tray images are black with alpha only', () => {
    const px = decodePng(readFileSync(path.join(root, 'assets/tray/runningTemplate@2x.png')));
    for (let i = 0; i < px.data.length; i += 4) expect(px.data[i] + px.data[i + 1] + px.data[i + 2]).toBe(0);
    expect(px.data.some((v, i) => i % 4 === 3 && v > 0)).toBe(true);
  });
});
