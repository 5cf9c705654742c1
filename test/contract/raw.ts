import type { ClientFormat } from './clients/types';
import { chatParams } from './clients/openai-chat';
import { responsesParams } from './clients/openai-responses';
import { claudeParams } from './clients/claude';
import { geminiContents } from './clients/gemini';
import type { NeutralRequest } from './scenarios';

/**
 * Plain `fetch` calls for the assertions SDKs hide: event order on the wire and stream
 * terminators (`[DONE]` for Chat only).
 */

export interface RawEvent {
  event?: string;
  data: string;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  events: RawEvent[];
}

export function parseSse(text: string): RawEvent[] {
  const out: RawEvent[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length) out.push(event ? { event, data: data.join('\n') } : { data: data.join('\n') });
  }
  return out;
}

function geminiBody(req: NeutralRequest): Record<string, unknown> {
  return {
    contents: geminiContents(req),
    ...(req.system ? { systemInstruction: { parts: [{ text: req.system }] } } : {}),
    ...(req.tools ? { tools: [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })) }] } : {}),
    generationConfig: { maxOutputTokens: req.maxTokens },
  };
}

/** POST the request in `format` with streaming on, and read the whole SSE answer. */
export async function rawStream(baseUrl: string, format: ClientFormat, model: string, req: NeutralRequest): Promise<RawAnswer> {
  let url: string;
  let body: unknown;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (format) {
    case 'openai-chat':
      url = `${baseUrl}/v1/chat/completions`;
      body = { ...chatParams(model, req), stream: true };
      break;
    case 'openai-responses':
      url = `${baseUrl}/v1/responses`;
      body = { ...responsesParams(model, req), stream: true };
      break;
    case 'claude':
      url = `${baseUrl}/v1/messages`;
      body = { ...claudeParams(model, req), stream: true };
      headers['anthropic-version'] = '2023-06-01';
      break;
    case 'gemini':
      url = `${baseUrl}/v1beta/models/${model}:streamGenerateContent?alt=sse`;
      body = geminiBody(req);
      break;
  }
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, events: parseSse(text) };
}
