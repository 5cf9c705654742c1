import { isRecord } from './json';

/**
 * Thinking blocks go back to Anthropic only with Anthropic's own signature; anything else is
 * refused as an invalid signature and fails the whole turn (the reference system's multi-turn
 * bug). Reasoning from other upstreams reaches Claude clients unsigned or with a foreign proof
 * (OpenAI `encrypted_content` is Fernet, `gAAAAA…`; Gemini's validator-skip sentinel).
 */
export function isClaudeSignature(signature: string | null | undefined): signature is string {
  if (!signature) return false;
  if (signature.startsWith('gAAAAA')) return false;
  if (signature === 'skip_thought_signature_validator') return false;
  return true;
}

/**
 * True when a Claude request body carries thinking blocks Anthropic would refuse. The pipeline
 * must then not forward the bytes untouched: decoding and re-encoding (encodeRequest) drops them.
 */
export function hasForeignThinking(body: unknown): boolean {
  if (!isRecord(body) || !Array.isArray(body.messages)) return false;
  for (const m of body.messages) {
    if (!isRecord(m) || m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    for (const b of m.content) {
      if (isRecord(b) && b.type === 'thinking' && !isClaudeSignature(typeof b.signature === 'string' ? b.signature : undefined)) return true;
    }
  }
  return false;
}
