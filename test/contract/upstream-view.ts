import type { UpstreamKind } from './fake-scripts';
import type { SeenRequest } from './world';

/**
 * What one fake upstream received, read back into one neutral shape so every inbound × upstream
 * pair is asserted with the same expectations.
 */
export interface UpstreamView {
  stream: boolean;
  system: string;
  /** user / assistant / tool, consecutive duplicates merged (formats split turns differently). */
  roles: string[];
  toolNames: string[];
  /** Tool calls replayed from the history (assistant turns). */
  historyCalls: Array<{ id?: string; name: string; args: unknown }>;
  toolResults: Array<{ id?: string; name?: string; content: string }>;
  /** base64 payloads of images. */
  images: string[];
  /** All plain text in user/assistant turns. */
  texts: string[];
  reasoningOn: boolean;
  /** The switch that makes the upstream return reasoning text (includeThoughts / summary), when it has one. */
  reasoningTextOn: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  stop: string[];
  /** The JSON schema asked for, or `instruction` when it went into the prompt text (Claude). */
  jsonSchema?: unknown;
  /** `required` (must call a tool), `auto`, other JSON, or undefined when not sent. */
  toolChoice?: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const parseArgs = (v: unknown): unknown => {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v;
  }
};
const base64OfDataUrl = (url: string): string => (url.startsWith('data:') ? url.slice(url.indexOf(',') + 1) : url);

function mergeRoles(roles: string[]): string[] {
  return roles.filter((r, i) => i === 0 || roles[i - 1] !== r);
}

function empty(stream: boolean): UpstreamView {
  return { stream, stop: [], system: '', roles: [], toolNames: [], historyCalls: [], toolResults: [], images: [], texts: [], reasoningOn: false, reasoningTextOn: false };
}

function chatView(b: Obj): UpstreamView {
  const v = empty(b.stream === true);
  const roles: string[] = [];
  for (const m of arr(b.messages).map(obj)) {
    const role = str(m.role);
    const parts = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : arr(m.content).map(obj);
    if (role === 'system' || role === 'developer') {
      v.system += parts.map((p) => str(p.text)).join('');
      continue;
    }
    roles.push(role === 'tool' ? 'tool' : role);
    if (role === 'tool') v.toolResults.push({ id: str(m.tool_call_id), content: parts.map((p) => str(p.text)).join('') });
    for (const p of parts) {
      if (p.type === 'text' && role !== 'tool') v.texts.push(str(p.text));
      if (p.type === 'image_url') v.images.push(base64OfDataUrl(str(obj(p.image_url).url)));
    }
    for (const c of arr(m.tool_calls).map(obj)) {
      const f = obj(c.function);
      v.historyCalls.push({ id: str(c.id), name: str(f.name), args: parseArgs(f.arguments) });
    }
  }
  v.roles = mergeRoles(roles);
  v.toolNames = arr(b.tools).map((t) => str(obj(obj(t).function).name));
  v.reasoningOn = typeof b.reasoning_effort === 'string' && b.reasoning_effort !== 'none';
  v.reasoningTextOn = v.reasoningOn;
  v.maxTokens = num(b.max_tokens) ?? num(b.max_completion_tokens);
  v.toolChoice = b.tool_choice === undefined ? undefined : str(b.tool_choice);
  v.temperature = num(b.temperature);
  v.topP = num(b.top_p);
  v.stop = typeof b.stop === 'string' ? [b.stop] : arr(b.stop).map(str);
  const rf = obj(b.response_format);
  if (rf.type === 'json_schema') v.jsonSchema = obj(rf.json_schema).schema;
  return v;
}

function responsesView(b: Obj): UpstreamView {
  const v = empty(b.stream === true);
  v.system = str(b.instructions);
  const roles: string[] = [];
  const items = typeof b.input === 'string' ? [{ role: 'user', content: b.input }] : arr(b.input).map(obj);
  for (const it of items) {
    if (it.type === 'function_call') {
      roles.push('assistant');
      v.historyCalls.push({ id: str(it.call_id), name: str(it.name), args: parseArgs(it.arguments) });
      continue;
    }
    if (it.type === 'function_call_output') {
      roles.push('tool');
      v.toolResults.push({ id: str(it.call_id), content: str(it.output) });
      continue;
    }
    if (it.type !== undefined && it.type !== 'message') continue;
    const role = str(it.role);
    const parts = typeof it.content === 'string' ? [{ type: 'input_text', text: it.content }] : arr(it.content).map(obj);
    if (role === 'system' || role === 'developer') {
      v.system += parts.map((p) => str(p.text)).join('');
      continue;
    }
    roles.push(role);
    for (const p of parts) {
      if (p.type === 'input_text' || p.type === 'output_text') v.texts.push(str(p.text));
      if (p.type === 'input_image') v.images.push(base64OfDataUrl(str(p.image_url)));
    }
  }
  v.roles = mergeRoles(roles);
  v.toolNames = arr(b.tools).map((t) => str(obj(t).name));
  const r = obj(b.reasoning);
  v.reasoningOn = typeof r.effort === 'string' && r.effort !== 'none';
  v.reasoningTextOn = v.reasoningOn && typeof r.summary === 'string' && r.summary !== 'none';
  v.maxTokens = num(b.max_output_tokens);
  v.toolChoice = b.tool_choice === undefined ? undefined : str(b.tool_choice);
  v.temperature = num(b.temperature);
  v.topP = num(b.top_p);
  v.stop = arr(b.stop).map(str);
  const f = obj(obj(b.text).format);
  if (f.type === 'json_schema') v.jsonSchema = f.schema;
  return v;
}

function claudeView(b: Obj): UpstreamView {
  const v = empty(b.stream === true);
  v.system = typeof b.system === 'string' ? b.system : arr(b.system).map((p) => str(obj(p).text)).join('');
  const roles: string[] = [];
  for (const m of arr(b.messages).map(obj)) {
    const blocks = typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : arr(m.content).map(obj);
    const onlyResults = blocks.length > 0 && blocks.every((x) => x.type === 'tool_result');
    roles.push(onlyResults ? 'tool' : str(m.role));
    for (const x of blocks) {
      if (x.type === 'text') v.texts.push(str(x.text));
      if (x.type === 'image') v.images.push(str(obj(x.source).data));
      if (x.type === 'tool_use') v.historyCalls.push({ id: str(x.id), name: str(x.name), args: x.input });
      if (x.type === 'tool_result') {
        const content = typeof x.content === 'string' ? x.content : arr(x.content).map((p) => str(obj(p).text)).join('');
        v.toolResults.push({ id: str(x.tool_use_id), content });
      }
    }
  }
  v.roles = mergeRoles(roles);
  v.toolNames = arr(b.tools).map((t) => str(obj(t).name));
  const t = obj(b.thinking);
  v.reasoningOn = t.type === 'enabled' || t.type === 'adaptive';
  v.reasoningTextOn = v.reasoningOn;
  v.maxTokens = num(b.max_tokens);
  const tc = obj(b.tool_choice);
  v.toolChoice = b.tool_choice === undefined ? undefined : tc.type === 'any' ? 'required' : tc.type === 'auto' ? 'auto' : str(b.tool_choice);
  v.temperature = num(b.temperature);
  v.topP = num(b.top_p);
  v.stop = arr(b.stop_sequences).map(str);
  const structured = obj(obj(b.output_config).format).schema ?? obj(b.output_format).schema;
  if (structured !== undefined) v.jsonSchema = structured;
  else if (/json/i.test(v.system) && v.system.includes('answer_text')) v.jsonSchema = 'instruction';
  return v;
}

function geminiView(b: Obj, path: string): UpstreamView {
  const v = empty(path.endsWith(':streamGenerateContent'));
  const sys = obj(b.systemInstruction ?? b.system_instruction);
  v.system = arr(sys.parts).map((p) => str(obj(p).text)).join('');
  const roles: string[] = [];
  for (const c of arr(b.contents).map(obj)) {
    const parts = arr(c.parts).map(obj);
    const onlyResults = parts.length > 0 && parts.every((p) => p.functionResponse !== undefined);
    roles.push(onlyResults ? 'tool' : c.role === 'model' ? 'assistant' : str(c.role));
    for (const p of parts) {
      if (typeof p.text === 'string' && p.thought !== true) v.texts.push(p.text);
      const inline = obj(p.inlineData ?? p.inline_data);
      if (inline.data !== undefined) v.images.push(str(inline.data));
      if (p.functionCall) {
        const f = obj(p.functionCall);
        v.historyCalls.push({ id: f.id === undefined ? undefined : str(f.id), name: str(f.name), args: f.args });
      }
      if (p.functionResponse) {
        const f = obj(p.functionResponse);
        v.toolResults.push({ id: f.id === undefined ? undefined : str(f.id), name: str(f.name), content: str(f.response) });
      }
    }
  }
  v.roles = mergeRoles(roles);
  v.toolNames = arr(b.tools).flatMap((t) => arr(obj(t).functionDeclarations ?? obj(t).function_declarations).map((d) => str(obj(d).name)));
  const gc = obj(b.generationConfig ?? b.generation_config);
  const tc = obj(gc.thinkingConfig ?? gc.thinking_config);
  const budget = num(tc.thinkingBudget ?? tc.thinking_budget);
  const level = tc.thinkingLevel ?? tc.thinking_level;
  v.reasoningTextOn = (tc.includeThoughts ?? tc.include_thoughts) === true;
  v.reasoningOn = v.reasoningTextOn || (budget !== undefined && budget !== 0) || (typeof level === 'string' && level !== 'none');
  v.maxTokens = num(gc.maxOutputTokens ?? gc.max_output_tokens);
  const fcc = obj(obj(b.toolConfig ?? b.tool_config).functionCallingConfig ?? obj(b.toolConfig ?? b.tool_config).function_calling_config);
  v.toolChoice = fcc.mode === undefined ? undefined : fcc.mode === 'ANY' ? 'required' : fcc.mode === 'AUTO' ? 'auto' : str(fcc);
  v.temperature = num(gc.temperature);
  v.topP = num(gc.topP ?? gc.top_p);
  v.stop = arr(gc.stopSequences ?? gc.stop_sequences).map(str);
  if (gc.responseMimeType === 'application/json' || gc.response_mime_type === 'application/json') {
    v.jsonSchema = gc.responseJsonSchema ?? gc.responseSchema ?? gc.response_json_schema ?? gc.response_schema ?? 'mime-only';
  }
  return v;
}

export function viewOf(kind: UpstreamKind, req: SeenRequest): UpstreamView {
  switch (kind) {
    case 'openai-chat':
      return chatView(req.body);
    case 'openai-responses':
      return responsesView(req.body);
    case 'claude':
      return claudeView(req.body);
    case 'gemini':
      return geminiView(req.body, req.path);
  }
}
