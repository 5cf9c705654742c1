import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeClient } from './clients/claude';
import { geminiClient } from './clients/gemini';
import { openaiChatClient } from './clients/openai-chat';
import { openaiResponsesClient } from './clients/openai-responses';
import type { ClientAdapter, ClientError, ClientFormat, ClientResult } from './clients/types';
import { UPSTREAM_KINDS } from './fake-scripts';
import { rawStream } from './raw';
import { newTag, scenarioById, tagged, type NeutralRequest, type NeutralTool } from './scenarios';
import { viewOf } from './upstream-view';
import { MODEL_OF, startWorld, type World } from './world';

/**
 * Regression tests for the reference system's known bugs (issue 3, PROTOCOLS.md §3.8, §3.9,
 * §3.15) and the wire facts SDKs hide: event order and stream terminators.
 */

let w: World;
beforeAll(async () => {
  w = await startWorld();
});
afterAll(async () => {
  await w?.close();
});

const CLIENTS: ClientAdapter[] = [openaiChatClient, openaiResponsesClient, claudeClient, geminiClient];
const FORMATS: ClientFormat[] = ['openai-chat', 'openai-responses', 'claude', 'gemini'];
const MODES = [false, true];
const mode = (stream: boolean) => (stream ? 'stream' : 'non-stream');

function ok(out: ClientResult | ClientError): ClientResult {
  if (!out.ok) throw new Error(`client error ${out.status ?? 'in-stream'}: ${out.message}`);
  return out;
}

describe('Claude streams open with message_start before any tool block (reference issue #561)', () => {
  for (const kind of UPSTREAM_KINDS) {
    for (const id of ['tool-call', 'parallel-tools']) {
      it(`${kind} upstream, ${id}`, async () => {
        const sc = scenarioById(id);
        const res = await rawStream(w.url, 'claude', MODEL_OF[kind], tagged(sc.request, newTag(id)));
        expect(res.status).toBe(200);
        const names = res.events.map((e) => e.event);
        expect(names[0]).toBe('message_start');
        const firstTool = res.events.findIndex((e) => e.event === 'content_block_start' && e.data.includes('"tool_use"'));
        expect(firstTool).toBeGreaterThan(0);
        // Every block is opened before its deltas and closed before the next one opens.
        const open = new Set<number>();
        for (const e of res.events) {
          const d = JSON.parse(e.data) as { index?: number };
          if (e.event === 'content_block_start') open.add(d.index ?? -1);
          if (e.event === 'content_block_delta') expect(open.has(d.index ?? -1)).toBe(true);
          if (e.event === 'content_block_stop') open.delete(d.index ?? -1);
        }
        expect(open.size).toBe(0);
        const toolStarts = res.events.filter((e) => e.event === 'content_block_start' && e.data.includes('"tool_use"'));
        expect(toolStarts).toHaveLength(sc.reply.toolCalls?.length ?? 0);
        expect(names.at(-1)).toBe('message_stop');
      });
    }
  }
});

describe('each stream ends with its own terminator', () => {
  for (const format of FORMATS) {
    for (const kind of UPSTREAM_KINDS) {
      it(`${format} client, ${kind} upstream`, async () => {
        const res = await rawStream(w.url, format, MODEL_OF[kind], tagged(scenarioById('plain').request, newTag('plain')));
        expect(res.status).toBe(200);
        expect(res.contentType).toContain('text/event-stream');
        const last = res.events.at(-1);
        if (format === 'openai-chat') {
          expect(last?.data).toBe('[DONE]');
          expect(res.events.filter((e) => e.data === '[DONE]')).toHaveLength(1);
          return;
        }
        expect(res.text).not.toContain('[DONE]');
        if (format === 'claude') expect(last?.event).toBe('message_stop');
        if (format === 'openai-responses') expect(last?.event).toBe('response.completed');
        if (format === 'gemini') {
          const chunk = JSON.parse(last?.data ?? '{}') as { candidates?: Array<{ finishReason?: string }>; usageMetadata?: unknown };
          expect(chunk.candidates?.[0]?.finishReason).toBe('STOP');
          expect(chunk.usageMetadata).toBeDefined();
        }
      });
    }
  }
});

/** Names Gemini refuses: a leading digit, and longer than 64 characters (Claude allows 128). */
const ODD_TOOLS: NeutralTool[] = [
  { name: '9lives_lookup', description: 'Look up a cat', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
  { name: `mcp__files__${'read_file_'.repeat(7)}x`, description: 'Read a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
];
const GEMINI_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

describe('tool names sanitised for Gemini come back original (reference issue #1741)', () => {
  const declared = (body: Record<string, unknown>): string[] =>
    ((body.tools as Array<{ functionDeclarations?: Array<{ name: string }> }> | undefined) ?? []).flatMap((t) => (t.functionDeclarations ?? []).map((d) => d.name));

  for (const client of [claudeClient, openaiChatClient, openaiResponsesClient]) {
    for (const stream of MODES) {
      it(`${client.format} client (${mode(stream)})`, async () => {
        // Gemini answers with the names it was given, as the real API does.
        w.custom.set('odd-names', {
          gemini: (req) => ({
            steps: declared(req.body).map((name, i) => ({ type: 'tool' as const, name, args: JSON.stringify(i ? { path: '/etc/hosts' } : { q: 'tom' }) })),
            usage: { input: 9, output: 4 },
          }),
        });
        const tag = newTag('odd-names');
        const req: NeutralRequest = tagged({ turns: [{ role: 'user', text: 'use both tools' }], tools: ODD_TOOLS, maxTokens: 64 }, tag);
        const out = ok(await client.call(w.url, MODEL_OF.gemini, req, stream));
        const up = w.seen('gemini', tag)[0];
        const sent = declared(up.body);
        expect(sent).toHaveLength(2);
        for (const n of sent) expect(n).toMatch(GEMINI_NAME);
        expect(sent).not.toEqual(ODD_TOOLS.map((t) => t.name));
        expect(out.toolCalls.map((c) => c.name)).toEqual(ODD_TOOLS.map((t) => t.name));
        expect(out.finish).toBe('tool_calls');

        // Next turn: the client replays the calls under their original names; Gemini must see
        // the names it declared, in the calls and in the results.
        const tag2 = newTag('odd-names');
        const calls = out.toolCalls.map((c) => ({ id: c.id || c.name, name: c.name, args: c.args as Record<string, unknown> }));
        const follow: NeutralRequest = tagged(
          {
            tools: ODD_TOOLS,
            maxTokens: 64,
            turns: [
              { role: 'user', text: 'use both tools' },
              { role: 'assistant', toolCalls: calls },
              { role: 'tool', results: calls.map((c) => ({ id: c.id, name: c.name, content: 'done' })) },
            ],
          },
          tag2,
        );
        w.custom.set('odd-names', { gemini: () => ({ steps: [{ type: 'text', text: 'ok' }] }) });
        ok(await client.call(w.url, MODEL_OF.gemini, follow, stream));
        const v = viewOf('gemini', w.seen('gemini', tag2)[0]);
        expect(v.historyCalls.map((c) => c.name)).toEqual(sent);
        expect(v.toolResults.map((r) => r.name)).toEqual(sent);
      });
    }
  }
});

// BUG: a Responses upstream stream whose every output item was closed (output_item.done) but that
// ends without response.completed is turned into an error for the client: 408 "stream
// disconnected before completion" before the first byte (Gemini client), or the caller's error
// event after the text (Chat, Claude), or a Responses stream with no terminal event at all. This
// is the reference system's bug #5 in PROTOCOLS.md §10, copied on purpose in
// src-main/engine/protocols/openai-responses/decode-stream.ts `end()`. Expected: when no item is
// left open, finish normally (stop, or tool_calls when a call was seen; usage unknown); only an
// item still open at the end is a real truncation. Skipped until the decoder is changed.
describe('a Codex / Responses stream that ends before response.completed still finishes cleanly', () => {
  for (const client of CLIENTS) {
    it(`${client.format} client, text`, async () => {
      w.custom.set('no-completed', {
        responses: () => ({ text: ['Hello', ' there'], usage: { input: 3, output: 2 }, quirks: { omitCompleted: true } }),
      });
      const out = ok(await client.call(w.url, MODEL_OF['openai-responses'], tagged({ turns: [{ role: 'user', text: 'hi' }], maxTokens: 32 }, newTag('no-completed')), true));
      expect(out.text).toBe('Hello there');
      expect(out.finish).toBe('stop');
      if (client.format === 'claude') expect(out.events.at(-1)).toBe('message_stop');
      if (client.format === 'openai-responses') expect(out.events.at(-1)).toBe('response.completed');
    });
    it(`${client.format} client, tool call`, async () => {
      w.custom.set('no-completed-tool', {
        responses: () => ({ toolCalls: [{ id: 'call_nc1', name: 'get_weather', arguments: '{"city":"Oslo"}' }], quirks: { omitCompleted: true } }),
      });
      const req = tagged({ turns: [{ role: 'user', text: 'weather?' }], tools: [scenarioById('tool-call').request.tools![0]], maxTokens: 32 }, newTag('no-completed-tool'));
      const out = ok(await client.call(w.url, MODEL_OF['openai-responses'], req, true));
      expect(out.toolCalls.map((c) => ({ name: c.name, args: c.args }))).toEqual([{ name: 'get_weather', args: { city: 'Oslo' } }]);
      if (client.format !== 'gemini') expect(out.toolCalls[0].id).toBe('call_nc1');
      expect(out.finish).toBe('tool_calls');
    });
  }
});

describe('streams are incremental: the first delta reaches the client while the upstream still holds the rest', () => {
  for (const client of CLIENTS) {
    for (const kind of ['claude', 'gemini'] as const) {
      it(`${client.format} client, ${kind} upstream`, async () => {
        let open!: () => void;
        const gate = new Promise<void>((r) => (open = r));
        let gateOpened = false;
        // Safety valve: a buffering engine would wait forever; open after 5 s and let the test fail.
        const valve = setTimeout(() => {
          gateOpened = true;
          open();
        }, 5000);
        const script = () => ({
          steps: [
            { type: 'text' as const, text: 'first ' },
            { type: 'pause' as const, until: gate },
            { type: 'text' as const, text: 'second' },
          ],
          usage: { input: 4, output: 2 },
        });
        w.custom.set('incremental', { claude: script, gemini: script });
        let firstBeforeGate: boolean | undefined;
        const out = ok(
          await client.call(w.url, MODEL_OF[kind], tagged({ turns: [{ role: 'user', text: 'hi' }], maxTokens: 32 }, newTag('incremental')), true, {
            onText: () => {
              if (firstBeforeGate !== undefined) return;
              firstBeforeGate = !gateOpened;
              gateOpened = true;
              open();
            },
          }),
        );
        clearTimeout(valve);
        expect(firstBeforeGate, 'first text delta arrived while the upstream was paused').toBe(true);
        expect(out.text).toBe('first second');
      });
    }
  }
});

describe('streams are incremental through OpenAI upstreams too (reference issue #1620)', () => {
  for (const client of CLIENTS) {
    for (const model of ['m-chat-gated', 'm-responses-gated']) {
      it(`${client.format} client, ${model}`, async () => {
        const gate = w.gated.arm();
        let gateOpened = false;
        const valve = setTimeout(() => {
          gateOpened = true;
          gate.open();
        }, 5000);
        let firstBeforeGate: boolean | undefined;
        const out = ok(
          await client.call(w.url, model, { turns: [{ role: 'user', text: 'hi' }], maxTokens: 32 }, true, {
            onText: () => {
              if (firstBeforeGate !== undefined) return;
              firstBeforeGate = !gateOpened;
              gateOpened = true;
              gate.open();
            },
          }),
        );
        clearTimeout(valve);
        expect(firstBeforeGate, 'first text delta arrived while the upstream was held').toBe(true);
        expect(out.text).toBe('first second');
        expect(out.finish).toBe('stop');
      });
    }
  }
});

describe('same-format passthrough keeps multi-byte characters cut across TCP reads', () => {
  for (const [client, kind] of [
    [openaiChatClient, 'openai-chat'],
    [openaiResponsesClient, 'openai-responses'],
    [claudeClient, 'claude'],
    [geminiClient, 'gemini'],
  ] as const) {
    // BUG (all four): relayPassthrough always renames the model (alias ≠ upstream name), and
    // ModelNameRewriter.push in src-main/engine/pipeline/stream-relay.ts decodes every TCP chunk
    // with chunk.toString('utf8') and carries text, so a character split between two reads becomes
    // U+FFFD on the client. Expected: carry the bytes after the last "\n" as a Buffer (0x0A never
    // occurs inside a multi-byte sequence) or use a StringDecoder. SY_SHOW_BUGS=1 runs them.
    it(`${kind} → ${kind} (stream)`, async () => {
      const slow = { delayMs: 30, splitUtf8: true };
      w.custom.set('utf8-split', {
        chat: () => ({ text: ['Grüße ✓', ' déjà vu'], usage: { input: 3, output: 4 }, quirks: slow }),
        responses: () => ({ text: ['Grüße ✓', ' déjà vu'], usage: { input: 3, output: 4 }, quirks: slow }),
        claude: () => ({ steps: [{ type: 'text', text: 'Grüße ✓ déjà vu', chunks: 2 }], framing: slow }),
        gemini: () => ({ steps: [{ type: 'text', text: 'Grüße ✓ déjà vu', chunks: 2 }], framing: slow }),
      });
      const out = ok(await client.call(w.url, MODEL_OF[kind], tagged({ turns: [{ role: 'user', text: 'hi' }], maxTokens: 16 }, newTag('utf8-split')), true));
      expect(out.text).toBe('Grüße ✓ déjà vu');
    });
  }
});

describe('a stream that fails before any output is a real HTTP status on the wire', () => {
  for (const format of FORMATS) {
    for (const kind of UPSTREAM_KINDS) {
      // BUG (same format on both sides): relayPassthrough in src-main/engine/pipeline/stream-relay.ts
      // commits the 200 stream on the first upstream chunk instead of reading ahead to the first output.
      const passthrough = format === kind;
      it(`${format} client, ${kind} upstream`, async () => {
        const res = await rawStream(w.url, format, MODEL_OF[kind], tagged(scenarioById('early-stream-error').request, newTag('early-stream-error')));
        expect(res.status, res.text.slice(0, 300)).toBeGreaterThanOrEqual(400);
        expect(res.contentType).toContain('application/json');
        expect(res.text).toContain('upstream failed before any output');
      });
    }
  }
});

describe('a client that goes away mid-stream cancels the upstream request', () => {
  for (const client of CLIENTS) {
    for (const model of ['m-chat-gated', 'm-responses-gated']) {
      it(`${client.format} client, ${model}`, async () => {
        const gate = w.gated.arm();
        const before = w.gated.cutShort();
        const abort = new AbortController();
        const stopped = client.call(w.url, model, { turns: [{ role: 'user', text: 'hi' }], maxTokens: 32 }, true, { onText: () => abort.abort(), signal: abort.signal });
        await stopped;
        // The upstream is still holding its stream open: the engine has to hang up on it.
        const until = Date.now() + 3000;
        while (w.gated.cutShort() === before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
        gate.open();
        expect(w.gated.cutShort()).toBe(before + 1);
      });
    }
  }
});

describe('consecutive same-role turns are merged where the target demands alternation (Claude)', () => {
  for (const client of [openaiChatClient, openaiResponsesClient, geminiClient]) {
    it(`${client.format} client, claude upstream`, async () => {
      const tag = newTag('plain');
      const req: NeutralRequest = tagged(
        {
          tools: [scenarioById('tool-call').request.tools![0]],
          maxTokens: 64,
          turns: [
            { role: 'user', text: 'First part.' },
            { role: 'user', text: 'Second part.' },
            { role: 'assistant', toolCalls: [{ id: 'call_m1', name: 'get_weather', args: { city: 'Oslo' } }] },
            { role: 'tool', results: [{ id: 'call_m1', name: 'get_weather', content: 'cold' }] },
            { role: 'user', text: 'And now?' },
          ],
        },
        tag,
      );
      ok(await client.call(w.url, MODEL_OF.claude, req, false));
      const msgs = w.seen('claude', tag)[0].body.messages as Array<{ role: string; content: string | Array<{ type: string }> }>;
      expect(msgs.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
      // Tool results first in the user turn that follows the calls, then the new text.
      const last = msgs[2].content as Array<{ type: string }>;
      expect(last.map((b) => b.type)).toEqual(['tool_result', 'text']);
    });
  }
});

describe('tool names OpenAI refuses (over 64 characters, leading digit is fine) are shortened and restored', () => {
  const names = (body: Record<string, unknown>): string[] =>
    ((body.tools as Array<{ name?: string; function?: { name: string } }> | undefined) ?? []).map((t) => t.function?.name ?? t.name ?? '');
  for (const kind of ['openai-chat', 'openai-responses'] as const) {
    for (const stream of MODES) {
      it(`claude client, ${kind} upstream (${mode(stream)})`, async () => {
        const answer = (req: { body: Record<string, unknown> }) => ({
          toolCalls: names(req.body).map((name, i) => ({ id: `call_long${i}`, name, arguments: i ? '{"path":"/etc/hosts"}' : '{"q":"tom"}' })),
        });
        w.custom.set('long-names', { chat: answer, responses: answer });
        const tag = newTag('long-names');
        const out = ok(await claudeClient.call(w.url, MODEL_OF[kind], tagged({ turns: [{ role: 'user', text: 'use both' }], tools: ODD_TOOLS, maxTokens: 64 }, tag), stream));
        const sent = names(w.seen(kind, tag)[0].body);
        for (const n of sent) expect(n.length).toBeLessThanOrEqual(64);
        expect(out.toolCalls.map((c) => c.name)).toEqual(ODD_TOOLS.map((t) => t.name));
      });
    }
  }
});
