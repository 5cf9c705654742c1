import type { IrMessage, IrPart, IrReasoning, IrRequest, IrToolChoice } from '../../ir';
import { budgetToEffort, effortToBudget } from '../../ir/reasoning';
import type { EncodeContext } from '../protocol';
import { cleanSchemaForGemini } from './clean-schema';
import { isRecord, safeJsonParse } from './json';
import { GeminiToolNames } from './tool-names';

/**
 * Accepted by Gemini in place of a real thought signature on functionCall parts whose signature
 * was lost (history produced by another upstream). Gemini 3 refuses such turns otherwise.
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

/** What the reference system attaches so answers are not cut by default filters (§3.2). */
export const DEFAULT_SAFETY_SETTINGS = [
  { category: 'HARM_CATEGORY_HARASSMENT', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_SEXUALLY_EXPLICIT', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_DANGEROUS_CONTENT', threshold: 'OFF' },
  { category: 'HARM_CATEGORY_CIVIC_INTEGRITY', threshold: 'BLOCK_NONE' },
];

type GPart = Record<string, unknown>;
interface GContent {
  role: 'user' | 'model';
  parts: GPart[];
}

/**
 * IR → GenerateContentRequest. Tool names are sanitised; the returned `toolNames` maps them
 * back and must be handed to the response side (ResponseContext.toolNames).
 */
export function encodeRequest(req: IrRequest, ctx: EncodeContext): { body: Record<string, unknown>; toolNames?: Map<string, string> } {
  const ext = req.extensions?.gemini ?? {};
  const names = new GeminiToolNames();
  const body: Record<string, unknown> = {};
  body.contents = encodeContents(req.messages, names);
  const system = req.system.filter((p) => p.text).map((p) => ({ text: p.text }));
  if (system.length) body.systemInstruction = { role: 'user', parts: system };

  const tools: unknown[] = [];
  if (req.tools?.length) {
    tools.push({
      functionDeclarations: req.tools.map((t) => {
        const fd: Record<string, unknown> = { name: names.sanitize(t.name) };
        if (t.description) fd.description = t.description;
        // `parameters` is the OpenAPI subset (nullable, string enums) that cleanSchemaForGemini produces.
        fd.parameters = cleanSchemaForGemini(t.parameters);
        return fd;
      }),
    });
  }
  if (Array.isArray(ext.tools)) tools.push(...ext.tools);
  if (tools.length) body.tools = tools;
  const fcc = encodeToolChoice(req.toolChoice, names);
  if (fcc && req.tools?.length) body.toolConfig = { functionCallingConfig: fcc };

  const gen: Record<string, unknown> = {};
  if (req.temperature !== undefined) gen.temperature = req.temperature;
  if (req.topP !== undefined) gen.topP = req.topP;
  if (req.topK !== undefined) gen.topK = req.topK;
  if (req.maxOutputTokens !== undefined) gen.maxOutputTokens = req.maxOutputTokens;
  if (req.stopSequences?.length) gen.stopSequences = req.stopSequences;
  if (req.seed !== undefined) gen.seed = req.seed;
  // Many Gemini models refuse penalties outright; OpenAI clients often send 0, which means "off".
  if (req.presencePenalty) gen.presencePenalty = req.presencePenalty;
  if (req.frequencyPenalty) gen.frequencyPenalty = req.frequencyPenalty;
  const rf = req.responseFormat;
  if (rf?.type === 'json') gen.responseMimeType = 'application/json';
  if (rf?.type === 'json-schema') {
    gen.responseMimeType = 'application/json';
    gen.responseSchema = cleanSchemaForGemini(rf.schema);
  }
  for (const key of ['candidateCount', 'responseModalities', 'imageConfig', 'speechConfig', 'mediaResolution']) {
    if (ext[key] !== undefined) gen[key] = ext[key];
  }
  const thinking = encodeThinking(req.reasoning, ctx.upstreamModel);
  if (thinking) gen.thinkingConfig = thinking;
  if (Object.keys(gen).length) body.generationConfig = gen;

  body.safetySettings = Array.isArray(ext.safetySettings) ? ext.safetySettings : DEFAULT_SAFETY_SETTINGS;
  if (typeof ext.cachedContent === 'string') body.cachedContent = ext.cachedContent;
  return names.restore.size ? { body, toolNames: names.restore } : { body };
}

/**
 * IR messages → alternating user/model contents. Tool results become functionResponse parts
 * in a user turn; their name comes from the result, else from the call with the same id.
 * Reasoning parts are not sent: Gemini needs only the signatures on functionCall parts, and a
 * foreign (Claude) signature would be refused as corrupt.
 */
function encodeContents(messages: IrMessage[], names: GeminiToolNames): GContent[] {
  const callNames = new Map<string, string>();
  for (const m of messages) for (const p of m.parts) if (p.type === 'tool-call') callNames.set(p.id, p.name);
  const out: GContent[] = [];
  for (const m of messages) {
    const role = m.role === 'assistant' ? 'model' : 'user';
    const parts: GPart[] = [];
    for (const p of m.parts) parts.push(...encodePart(p, names, callNames));
    if (!parts.length) continue;
    const last = out[out.length - 1];
    if (last && last.role === role) last.parts.push(...parts);
    else out.push({ role, parts });
  }
  for (const c of out) if (c.role === 'model') keepOnlyRealSignatures(c.parts);
  return out;
}

/**
 * Gemini signs only the first of parallel calls. When a turn has a real signature, the other
 * calls go back exactly as they came, unsigned; the sentinel is for turns with none at all.
 */
function keepOnlyRealSignatures(parts: GPart[]): void {
  const calls = parts.filter((p) => p.functionCall);
  if (!calls.some((p) => p.thoughtSignature !== SKIP_THOUGHT_SIGNATURE)) return;
  for (const p of calls) if (p.thoughtSignature === SKIP_THOUGHT_SIGNATURE) delete p.thoughtSignature;
}

function encodePart(p: IrPart, names: GeminiToolNames, callNames: Map<string, string>): GPart[] {
  switch (p.type) {
    case 'text':
      return p.text ? [{ text: p.text }] : [];
    case 'media':
      if (p.data !== undefined) return [{ inlineData: { mimeType: p.mediaType, data: p.data } }];
      if (p.url) return [{ fileData: { mimeType: p.mediaType, fileUri: p.url } }];
      return [];
    case 'reasoning':
      return [];
    case 'tool-call': {
      const args = safeJsonParse(p.arguments || '{}');
      return [
        {
          functionCall: { name: names.sanitize(p.name), args: isRecord(args) ? args : {} },
          thoughtSignature: p.thoughtSignature || SKIP_THOUGHT_SIGNATURE,
        },
      ];
    }
    case 'tool-result': {
      const name = p.name ?? callNames.get(p.callId) ?? p.callId;
      const text = p.content.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('\n');
      const parsed = safeJsonParse(text);
      // Gemini has no error flag on results; an `error` key is how its docs report a failed call.
      const response = isRecord(parsed) ? parsed : p.isError ? { error: text } : { result: text };
      const parts: GPart[] = [{ functionResponse: { name: names.sanitize(name), response } }];
      for (const c of p.content) if (c.type === 'media') parts.push(...encodePart(c, names, callNames));
      return parts;
    }
  }
}

function encodeToolChoice(c: IrToolChoice | undefined, names: GeminiToolNames): Record<string, unknown> | undefined {
  switch (c?.type) {
    case 'auto':
      return { mode: 'AUTO' };
    case 'none':
      return { mode: 'NONE' };
    case 'required':
      return { mode: 'ANY' };
    case 'tool':
      return { mode: 'ANY', allowedFunctionNames: [names.sanitize(c.name)] };
    default:
      return undefined;
  }
}

/** Gemini 3 models take `thinkingLevel`; 2.x models take `thinkingBudget` (PROTOCOLS.md §3.12). */
export function usesThinkingLevel(model: string): boolean {
  return /gemini-[3-9]/i.test(model);
}

function encodeThinking(r: IrReasoning | undefined, model: string): Record<string, unknown> | undefined {
  if (!r) return undefined;
  const levels = usesThinkingLevel(model);
  const flash = /flash/i.test(model);
  const off = !r.enabled || r.effort === 'none' || r.budgetTokens === 0;
  if (off) {
    // Gemini 3 cannot stop thinking, and 2.5 Pro needs at least 128: ask for the least allowed.
    if (levels) return { thinkingLevel: flash ? 'minimal' : 'low', includeThoughts: false };
    return { thinkingBudget: /2\.5-pro/i.test(model) ? 128 : 0, includeThoughts: false };
  }
  // The client asked for reasoning: ask for its text too unless it said otherwise (DESIGN.md §3).
  const includeThoughts = r.includeThoughts ?? true;
  if (levels) {
    if (r.budgetTokens === -1 && !r.effort) return { includeThoughts };
    const effort = r.effort ?? (r.budgetTokens !== undefined ? budgetToEffort(r.budgetTokens) : 'medium');
    return { thinkingLevel: geminiLevel(effort, flash), includeThoughts };
  }
  const budget = r.budgetTokens ?? effortToBudget(r.effort ?? 'medium');
  return { thinkingBudget: budget, includeThoughts };
}

function geminiLevel(effort: string, flash: boolean): string {
  switch (effort) {
    case 'none':
    case 'minimal':
      return flash ? 'minimal' : 'low';
    case 'low':
      return 'low';
    case 'medium':
      return flash ? 'medium' : 'high';
    default:
      return 'high';
  }
}
