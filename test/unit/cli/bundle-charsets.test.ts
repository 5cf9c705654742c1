import type { ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateBuiltCli, serveBuiltCopy } from './built-copy';

/**
 * Request bodies in other character sets, decoded by the built CLI as Express's body parsers
 * decode them (iconv-lite's codecs and tables: the build keeps the tables outside the bundle, to be
 * loaded on the first body that needs them). A config file uploaded to the management API in
 * each charset must read back as the same text.
 */
let dir: string;
let child: ChildProcess | undefined;
let url: string;
const M = { 'x-management-key': 'm' };
const BASE = 'host: 127.0.0.1\nremote-management: {secret-key: m}\nsecret-store: file\n';

beforeAll(async () => {
  dir = await privateBuiltCli('sy-charsets-');
  await writeFile(path.join(dir, 'config.yaml'), BASE);
  const served = await serveBuiltCopy(dir, path.join(dir, 'config.yaml'));
  child = served.child;
  url = served.url;
}, 60_000);
afterAll(async () => {
  child?.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function upload(bytes: Buffer, charset: string): Promise<Response> {
  const body = new Uint8Array(bytes);
  return fetch(`${url}/v0/management/config.yaml`, { method: 'PUT', headers: { ...M, 'content-type': `application/yaml; charset=${charset}` }, body });
}
const saved = async () => (await fetch(`${url}/v0/management/config.yaml?reveal=true`, { headers: M })).text();

describe('the built CLI decodes request bodies in their declared charset', () => {
  // Bytes from each charset's published table.
  const cases: [charset: string, bytes: number[], text: string][] = [
    ['utf-8', [0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xe6, 0x97, 0xa5], 'café 日'],
    ['iso-8859-1', [0x63, 0x61, 0x66, 0xe9, 0x20, 0xa3], 'café £'],
    ['windows-1252', [0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x20, 0x9c], 'café € œ'],
    ['koi8-r', [0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4], 'Привет'],
    ['shift_jis', [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea], '日本語'],
    ['gbk', [0xd6, 0xd0, 0xce, 0xc4], '中文'],
    ['big5', [0xa4, 0xa4, 0xa4, 0xe5], '中文'],
    ['euc-kr', [0xc7, 0xd1, 0xb1, 0xdb], '한글'],
  ];
  for (const [charset, bytes, text] of cases) {
    it(`${charset}`, async () => {
      const res = await upload(Buffer.concat([Buffer.from(`${BASE}# `), Buffer.from(bytes), Buffer.from('\n')]), charset);
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await saved()).toBe(`${BASE}# ${text}\n`);
    });
  }

  it('utf-16le with its byte order mark', async () => {
    const res = await upload(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${BASE}# ok\n`, 'utf16le')]), 'utf-16le');
    expect(res.status).toBe(200);
    expect(await saved()).toBe(`${BASE}# ok\n`);
  });

  it('labels its answers with the types and charsets of mime-db (kept as a data file next to the bundle)', async () => {
    expect((await fetch(`${url}/healthz`)).headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect((await fetch(`${url}/v0/management/config.yaml`, { headers: M })).headers.get('content-type')).toBe('application/yaml; charset=utf-8');
  });

  it('answers 415 for a charset it does not know, and keeps the file', async () => {
    const before = await saved();
    const res = await upload(Buffer.from(`${BASE}# x\n`), 'x-no-such-charset');
    expect(res.status).toBe(415);
    // body-parser's message (the charset named in capitals), in the management API's error shape.
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('unsupported charset "X-NO-SUCH-CHARSET"');
    expect(await saved()).toBe(before);
  });
});
