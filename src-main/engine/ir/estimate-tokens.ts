import type { IrRequest } from './request';

/** Rough per-message framing overhead of chat formats. */
const PER_MESSAGE = 4;
/** Images are counted as a flat cost; exact counts need the upstream. */
const PER_IMAGE = 85;

/**
 * Local prompt-token estimate (o200k BPE) for upstreams that cannot count: text, tool calls
 * and results, tool definitions. Good to a few percent for English prose; a hint, not a bill.
 */
export async function estimateInputTokens(req: IrRequest): Promise<number> {
  // The BPE tables are large: load them on first use, not at engine start.
  const { countTokens } = await import('gpt-tokenizer');
  let text = req.system.map((s) => s.text).join('\n');
  let extra = 0;
  for (const m of req.messages) {
    extra += PER_MESSAGE;
    for (const p of m.parts) {
      if (p.type === 'text' || p.type === 'reasoning') text += `\n${p.text}`;
      else if (p.type === 'tool-call') text += `\n${p.name} ${p.arguments}`;
      else if (p.type === 'tool-result') for (const c of p.content) c.type === 'text' ? (text += `\n${c.text}`) : (extra += PER_IMAGE);
      else if (p.type === 'media') extra += PER_IMAGE;
    }
  }
  if (req.tools?.length) text += `\n${JSON.stringify(req.tools)}`;
  return countTokens(text) + extra;
}
