import type { Router } from 'express';
import { mediaRoutes } from '../../../src-main/engine/media';
import type { RequestRecord } from '../../../src-main/engine/pipeline/types';
import { startMediaUpstream, type MediaUpstream } from '../../fakes/upstreams/media-upstream';
import { startEngine, type RunningEngine } from '../harness';

export interface MediaWorld {
  running: RunningEngine;
  fake: MediaUpstream;
  records: RequestRecord[];
  close(): Promise<void>;
}

/**
 * An engine whose OpenAI-compatible entry points at the fake by `base-url` and whose Gemini
 * keys reach it through `host-overrides` (the real Google origin never sees a byte).
 */
export function mediaConfig(fakeUrl: string, extra = ''): string {
  return `
host: 127.0.0.1
port: 0
usage-sqlite:
  enable: false
# The Vertex key (prefix vx) serves only vx/… names, so unprefixed Gemini models go to the two API keys.
force-model-prefix: true
host-overrides:
  "https://generativelanguage.googleapis.com": "${fakeUrl}"
  "https://aiplatform.googleapis.com": "${fakeUrl}"
openai-compatibility:
  - name: fake-openai
    base-url: ${fakeUrl}/v1
    api-key: sk-upstream-openai
    models:
      - name: text-embedding-3-small
      - name: text-embedding-3-large
        alias: big-emb
      - name: gpt-image-1
gemini-api-key:
  - api-key: g-key-one
    models:
      - name: gemini-embedding-001
      - name: gemini-2.5-flash-image
        alias: nano-banana
  - api-key: g-key-two
    models:
      - name: gemini-embedding-001
      - name: gemini-2.5-flash-image
        alias: nano-banana
vertex-api-key:
  - api-key: v-key
    prefix: vx
    models:
      - name: gemini-embedding-001
${extra}`;
}

export async function startMediaWorld(extra = ''): Promise<MediaWorld> {
  const fake = await startMediaUpstream();
  const running = await startEngine(mediaConfig(fake.url, extra));
  await mountIfMissing(running);
  const records: RequestRecord[] = [];
  running.engine.addObserver({ onRequestDone: (r) => records.push(r) });
  return {
    running,
    fake,
    records,
    close: async () => {
      await running.close();
      await fake.close();
    },
  };
}

interface StackLayer {
  handle: { length: number };
}

/**
 * Until the server mounts mediaRoutes itself, put the router where the server would: after
 * client auth and the chat routes, before the 404 and error handlers (the last two layers).
 */
async function mountIfMissing(running: RunningEngine): Promise<void> {
  const probe = await fetch(`${running.url}/v1/embeddings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const text = await probe.text();
  if (!(probe.status === 404 && text.includes('No route'))) return;
  const engine = running.engine;
  const router: Router = mediaRoutes({
    pipeline: () => engine.pipelineDeps(),
    uploadLimitBytes: () => engine.config.current['upload-limit-mb'] * 1024 * 1024,
  });
  engine.app.use(router);
  const stack = (engine.app as unknown as { router: { stack: StackLayer[] } }).router.stack;
  const layer = stack.pop()!;
  const errorHandler = stack[stack.length - 1]!;
  if (errorHandler.handle.length !== 4) throw new Error('unexpected app layout: cannot place the media router for the test');
  stack.splice(stack.length - 2, 0, layer);
}
