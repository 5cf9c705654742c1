import { FunctionCallingConfigMode, GoogleGenAI, type Content, type GenerateContentConfig, type GenerateContentResponse } from '@google/genai';
import type { NeutralRequest } from '../scenarios';
import { emptyResult, sdkError, type CallOptions, type ClientAdapter, type ClientOutcome, type ClientResult } from './types';

/** Gemini through `@google/genai` with `httpOptions.baseUrl`: generateContent / generateContentStream. */

export function geminiContents(req: NeutralRequest): Content[] {
  const out: Content[] = [];
  for (const t of req.turns) {
    if (t.role === 'user') {
      out.push({ role: 'user', parts: [{ text: t.text }, ...(t.image ? [{ inlineData: { mimeType: t.image.mime, data: t.image.base64 } }] : [])] });
    } else if (t.role === 'assistant') {
      out.push({
        role: 'model',
        parts: [...(t.text ? [{ text: t.text }] : []), ...(t.toolCalls ?? []).map((c) => ({ functionCall: { name: c.name, args: c.args } }))],
      });
    } else {
      // Gemini clients pair results with calls by name (ids are optional on this wire).
      out.push({ role: 'user', parts: t.results.map((r) => ({ functionResponse: { name: r.name, response: { result: r.content } } })) });
    }
  }
  return out;
}

export function geminiConfig(req: NeutralRequest): GenerateContentConfig {
  return {
    maxOutputTokens: req.maxTokens,
    ...(req.system ? { systemInstruction: req.system } : {}),
    ...(req.tools
      ? { tools: [{ functionDeclarations: req.tools.map((t) => ({ name: t.name, description: t.description, parametersJsonSchema: t.parameters })) }] }
      : {}),
    ...(req.sampling ? { temperature: req.sampling.temperature, topP: req.sampling.topP, stopSequences: req.sampling.stop } : {}),
    ...(req.jsonSchema ? { responseMimeType: 'application/json', responseJsonSchema: req.jsonSchema.schema } : {}),
    ...(req.toolChoice ? { toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } } } : {}),
    ...(req.reasoning ? { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } } : {}),
  };
}

/** Add one response (whole answer or stream chunk) to the result. */
export function readChunk(r: GenerateContentResponse, out: ClientResult, opts: CallOptions = {}): void {
  const cand = r.candidates?.[0];
  for (const p of cand?.content?.parts ?? []) {
    if (p.thoughtSignature) out.signatures.push(p.thoughtSignature);
    if (typeof p.text === 'string' && p.thought) out.reasoning += p.text;
    else if (typeof p.text === 'string') {
      out.text += p.text;
      if (p.text) opts.onText?.(p.text);
    }
    if (p.functionCall) out.toolCalls.push({ id: p.functionCall.id ?? '', name: p.functionCall.name ?? '', args: p.functionCall.args });
  }
  if (cand?.finishReason) {
    out.rawFinish = cand.finishReason;
    // Gemini has no tool-call finish word: STOP with calls is the tool-call finish.
    out.finish = cand.finishReason === 'MAX_TOKENS' ? 'length' : cand.finishReason === 'STOP' ? (out.toolCalls.length ? 'tool_calls' : 'stop') : cand.finishReason;
  }
  const u = r.usageMetadata;
  if (u?.candidatesTokenCount !== undefined || u?.totalTokenCount !== undefined) {
    out.usage = { input: u.promptTokenCount ?? 0, output: (u.candidatesTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0) };
    out.usageDetails = { cached: u.cachedContentTokenCount, reasoning: u.thoughtsTokenCount };
  }
}

async function call(baseUrl: string, model: string, req: NeutralRequest, stream: boolean, opts: CallOptions = {}): Promise<ClientOutcome> {
  const ai = new GoogleGenAI({ apiKey: 'sk-client', httpOptions: { baseUrl } });
  const params = { model, contents: geminiContents(req), config: geminiConfig(req) };
  const out = emptyResult();
  if (!stream) {
    try {
      readChunk(await ai.models.generateContent(params), out);
      return out;
    } catch (err) {
      return sdkError(err, '', false);
    }
  }
  let started = false;
  try {
    const chunks = await ai.models.generateContentStream({ ...params, config: { ...params.config, abortSignal: opts.signal } });
    for await (const c of chunks) {
      started = true;
      out.events.push('chunk');
      readChunk(c, out, opts);
    }
    return out;
  } catch (err) {
    return sdkError(err, out.text, started);
  }
}

export const geminiClient: ClientAdapter = { format: 'gemini', label: 'google genai models', call };
