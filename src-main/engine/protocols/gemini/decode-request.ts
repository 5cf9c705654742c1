import type { IrMessage, IrPart, IrReasoning, IrRequest, IrTextPart, IrTool, IrToolChoice } from '../../ir';
import { budgetToEffort, isReasoningEffort } from '../../ir/reasoning';
import { InvalidRequestError } from '../protocol';
import { SKIP_THOUGHT_SIGNATURE } from './encode-request';
import { isRecord } from './json';
import { camelizeKeys } from './keys';
import { type GeminiContent, type GeminiPart, type GeminiRequest, requestSchema } from './schema';

/**
 * Gemini GenerateContentRequest → IR. The model and the stream flag come from the URL
 * (`/v1beta/models/{model}:streamGenerateContent`), so `where` is the main source for both.
 */
export function decodeRequest(body: unknown, where: { model?: string; stream?: boolean } = {}): IrRequest {
  const parsed = requestSchema.safeParse(camelizeKeys(body));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.') ?? '';
    throw new InvalidRequestError(`${path ? `${path}: ` : ''}${issue?.message ?? 'invalid request'}`, path || undefined);
  }
  const b = parsed.data;
  const model = where.model ?? b.model?.replace(/^models\//, '');
  if (!model) throw new InvalidRequestError('model: required', 'model');

  const req: IrRequest = {
    model,
    stream: where.stream ?? false,
    system: decodeSystem(b.systemInstruction),
    messages: decodeContents(b.contents),
  };
  const ext: Record<string, unknown> = {};

  const tools: IrTool[] = [];
  const otherTools: unknown[] = [];
  for (const t of b.tools ?? []) {
    for (const fd of t.functionDeclarations ?? []) {
      const tool: IrTool = {
        name: fd.name,
        parameters: fd.parametersJsonSchema ?? (fd.parameters ? lowerTypes(fd.parameters) : { type: 'object', properties: {} }),
      };
      if (fd.description) tool.description = fd.description;
      tools.push(tool);
    }
    // googleSearch, codeExecution, urlContext…: Gemini-only, kept for a Gemini→Gemini hop.
    const { functionDeclarations: _fd, ...rest } = t;
    if (Object.keys(rest).length) otherTools.push(rest);
  }
  if (tools.length) req.tools = tools;
  if (otherTools.length) ext.tools = otherTools;

  const fcc = b.toolConfig?.functionCallingConfig;
  const choice = decodeToolChoice(fcc?.mode, fcc?.allowedFunctionNames);
  if (choice) req.toolChoice = choice;

  const g = b.generationConfig;
  if (g) {
    if (g.maxOutputTokens !== undefined) req.maxOutputTokens = g.maxOutputTokens;
    if (g.temperature !== undefined) req.temperature = g.temperature;
    if (g.topP !== undefined) req.topP = g.topP;
    if (g.topK !== undefined) req.topK = g.topK;
    if (g.stopSequences?.length) req.stopSequences = g.stopSequences;
    if (g.seed !== undefined) req.seed = g.seed;
    if (g.presencePenalty !== undefined) req.presencePenalty = g.presencePenalty;
    if (g.frequencyPenalty !== undefined) req.frequencyPenalty = g.frequencyPenalty;
    if (g.responseMimeType === 'application/json') {
      const schema = g.responseJsonSchema ?? (g.responseSchema ? lowerTypes(g.responseSchema) : undefined);
      req.responseFormat = schema ? { type: 'json-schema', schema } : { type: 'json' };
    }
    const reasoning = decodeThinking(g.thinkingConfig);
    if (reasoning) req.reasoning = reasoning;
    for (const key of ['candidateCount', 'responseModalities', 'imageConfig', 'speechConfig', 'mediaResolution'] as const) {
      if (g[key] !== undefined) ext[key] = g[key];
    }
  }
  if (b.safetySettings) ext.safetySettings = b.safetySettings;
  if (b.cachedContent) ext.cachedContent = b.cachedContent;
  if (Object.keys(ext).length) req.extensions = { gemini: ext };
  return req;
}

function decodeSystem(system: GeminiRequest['systemInstruction']): IrTextPart[] {
  if (system === undefined) return [];
  if (typeof system === 'string') return system ? [{ type: 'text', text: system }] : [];
  return system.parts.filter((p) => typeof p.text === 'string' && p.text).map((p) => ({ type: 'text', text: p.text as string }));
}

/**
 * Gemini function calls usually have no id; the IR needs one to pair calls with results.
 * Ids are synthesised per call, and each functionResponse takes the id of the oldest unanswered
 * call with the same name (Gemini answers calls in order), unless both sides carry real ids.
 */
function decodeContents(contents: GeminiContent[]): IrMessage[] {
  const out: IrMessage[] = [];
  const pending = new Map<string, string[]>();
  let n = 0;
  const push = (role: IrMessage['role'], part: IrPart) => {
    const last = out[out.length - 1];
    if (last && last.role === role) last.parts.push(part);
    else out.push({ role, parts: [part] });
  };
  for (const c of contents) {
    const role = c.role === 'model' ? 'assistant' : 'user';
    for (const p of c.parts) {
      if (p.functionCall) {
        const id = p.functionCall.id || `call_${n++}_${p.functionCall.name}`;
        const queue = pending.get(p.functionCall.name) ?? [];
        queue.push(id);
        pending.set(p.functionCall.name, queue);
        const call: IrPart = { type: 'tool-call', id, name: p.functionCall.name, arguments: JSON.stringify(p.functionCall.args ?? {}) };
        // The validator-skip sentinel is not a signature worth carrying to another format.
        if (p.thoughtSignature && p.thoughtSignature !== SKIP_THOUGHT_SIGNATURE) call.thoughtSignature = p.thoughtSignature;
        push('assistant', call);
        continue;
      }
      if (p.functionResponse) {
        const fr = p.functionResponse;
        const queue = pending.get(fr.name) ?? [];
        // A known id pairs exactly; otherwise (no id, or the call had none) the oldest open call
        // of that name is the one being answered.
        const at = fr.id ? queue.indexOf(fr.id) : -1;
        const id = at >= 0 ? queue.splice(at, 1)[0] : (queue.shift() ?? fr.id ?? `call_${n++}_${fr.name}`);
        push('tool', { type: 'tool-result', callId: id, name: fr.name, content: [{ type: 'text', text: responseText(fr.response) }] });
        continue;
      }
      const part = decodePart(p, role);
      if (!part) continue;
      // Streamed thoughts come back as many parts, the signature on the last one (often with
      // empty text). Claude validates a signature against the WHOLE thinking text, so the
      // pieces are joined back into one reasoning part.
      const prev = out[out.length - 1]?.parts.at(-1);
      if (part.type === 'reasoning' && prev?.type === 'reasoning' && !prev.signature && !prev.redactedData && out[out.length - 1].role === 'assistant') {
        prev.text += part.text;
        if (part.signature) prev.signature = part.signature;
        continue;
      }
      push(role, part);
    }
  }
  return out;
}

function decodePart(p: GeminiPart, role: 'user' | 'assistant'): IrPart | undefined {
  if (p.inlineData) return { type: 'media', mediaType: p.inlineData.mimeType ?? 'application/octet-stream', data: p.inlineData.data };
  if (p.fileData) return { type: 'media', mediaType: p.fileData.mimeType ?? 'application/octet-stream', url: p.fileData.fileUri };
  if (typeof p.text !== 'string') return undefined; // executableCode etc. have no neutral form
  if (p.thought) {
    if (role !== 'assistant' || (!p.text && !p.thoughtSignature)) return undefined;
    return p.thoughtSignature ? { type: 'reasoning', text: p.text, signature: p.thoughtSignature } : { type: 'reasoning', text: p.text };
  }
  return p.text ? { type: 'text', text: p.text } : undefined;
}

/** `{result: "..."}` / `{output: "..."}` unwrap to their text; other objects travel as JSON. */
function responseText(response: unknown): string {
  if (isRecord(response)) {
    const keys = Object.keys(response);
    if (keys.length === 1 && (keys[0] === 'result' || keys[0] === 'output') && typeof response[keys[0]] === 'string') {
      return response[keys[0]] as string;
    }
  }
  return typeof response === 'string' ? response : JSON.stringify(response ?? {});
}

function decodeToolChoice(mode: string | undefined, allowed: string[] | undefined): IrToolChoice | undefined {
  switch (mode?.toUpperCase()) {
    case 'AUTO':
      return { type: 'auto' };
    case 'NONE':
      return { type: 'none' };
    case 'ANY':
    case 'VALIDATED':
      return allowed?.length === 1 ? { type: 'tool', name: allowed[0] } : { type: 'required' };
    default:
      return undefined;
  }
}

function decodeThinking(t: NonNullable<GeminiRequest['generationConfig']>['thinkingConfig']): IrReasoning | undefined {
  if (!t) return undefined;
  const level = t.thinkingLevel?.toLowerCase();
  if (level && isReasoningEffort(level)) {
    return { enabled: true, effort: level, includeThoughts: t.includeThoughts ?? false };
  }
  if (t.thinkingBudget !== undefined) {
    const budget = t.thinkingBudget;
    if (budget === 0) return { enabled: false, effort: 'none', budgetTokens: 0 };
    if (budget < 0) return { enabled: true, budgetTokens: -1, includeThoughts: t.includeThoughts ?? false };
    return { enabled: true, budgetTokens: budget, effort: budgetToEffort(budget), includeThoughts: t.includeThoughts ?? false };
  }
  if (t.includeThoughts) return { enabled: true, includeThoughts: true };
  return undefined;
}

/** Gemini's OpenAPI-style schemas say `"OBJECT"`; JSON Schema (the IR's language) says `"object"`. */
export function lowerTypes(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'type' && typeof v === 'string') out[k] = v.toLowerCase();
    else if (k === 'properties' && isRecord(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, isRecord(s) ? lowerTypes(s) : s]));
    } else if ((k === 'items' || k === 'not') && isRecord(v)) out[k] = lowerTypes(v);
    else if ((k === 'anyOf' || k === 'oneOf' || k === 'allOf') && Array.isArray(v)) out[k] = v.map((s) => (isRecord(s) ? lowerTypes(s) : s));
    else out[k] = v;
  }
  return out;
}
