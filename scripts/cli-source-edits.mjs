// Exact edits to bundled packages' code in the CLI bundle (scripts/cli-build.mjs), each for
// start-up cost alone and without a change in what the code does. A build fails when an edit no
// longer applies (the package changed): look at it again then. One edit per file.
import { readFileSync } from 'node:fs';

/** The node:http2 constants undici's HTTP/2 client reads when it loads (a test checks them against Node's). */
export const UNDICI_HTTP2_CONSTANTS = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8,
};

const undici = (file) => new RegExp(`[\\\\/]node_modules[\\\\/]undici[\\\\/]lib[\\\\/]${file.split('/').join('[\\\\/]').replace('.', '\\.')}$`);

export const CLI_SOURCE_EDITS = [
  {
    // undici's cookie helpers read `globalThis.Headers` when undici loads, to accept Node's own
    // Headers too; that one read makes Node load its internal copy of undici (~55 ms, ~3 MB of
    // heap) into a server that never uses it. Read it on the helpers' first call instead.
    file: undici('web/cookies/index.js'),
    from: 'const brandChecks = webidl.brandCheckMultiple([Headers, globalThis.Headers].filter(Boolean))',
    to: 'let brandCheck\nconst brandChecks = (V) => (brandCheck ??= webidl.brandCheckMultiple([Headers, globalThis.Headers].filter(Boolean)))(V)',
  },
  {
    // undici's HTTP/2 client requires node:http2 (and with it node:tls, ~20 ms, ~2 MB of heap)
    // when undici loads, for a few constants; the upstream calls here are HTTP/1.1 unless an
    // Agent is made with `allowH2`. The constants as values, node:http2 on the first connect.
    file: undici('dispatcher/client-h2.js'),
    from: "  http2 = require('node:http2')\n",
    to: `  http2 = { constants: ${JSON.stringify(UNDICI_HTTP2_CONSTANTS)}, connect: (...args) => require('node:http2').connect(...args) }\n`,
  },
];

/** esbuild plugin applying CLI_SOURCE_EDITS-style edits: each `from` occurs exactly once, in a bundled file. */
export function sourceEdits(edits) {
  return {
    name: 'source-edits',
    setup(b) {
      const applied = new Set();
      for (const e of edits) {
        b.onLoad({ filter: e.file }, (a) => {
          const text = readFileSync(a.path, 'utf8');
          const at = text.indexOf(e.from);
          if (at < 0 || text.indexOf(e.from, at + 1) >= 0) throw new Error(`source-edits: ${a.path} no longer has exactly one "${e.from}"`);
          applied.add(e);
          return { contents: text.replace(e.from, () => e.to), loader: 'js' };
        });
      }
      b.onEnd(() => ({
        errors: edits.filter((e) => !applied.has(e)).map((e) => ({ text: `source-edits: no bundled file matches ${e.file} (the package changed?)` })),
      }));
    },
  };
}
