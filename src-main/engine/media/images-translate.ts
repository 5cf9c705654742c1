import type { IrUsage } from '../ir';
import { InvalidRequestError } from '../protocols/protocol';
import type { GeminiImageResponse } from './images-schema';

/** Aspect ratios Gemini image models accept in `imageConfig.aspectRatio`. */
export const GEMINI_ASPECT_RATIOS = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;

export interface GeminiImageConfig {
  aspectRatio?: string;
  imageSize?: '2K' | '4K';
}

/**
 * OpenAI `size` ("1792x1024", "auto") → Gemini imageConfig. The ratio is matched to the nearest
 * Gemini ratio within 5 % (1792x1024 is 1.75 → 16:9); anything further off is refused rather
 * than silently producing a different shape. Only large sizes ask for 2K/4K output, because
 * older image models reject `imageSize` altogether.
 */
export function imageConfigForSize(size: string | undefined): GeminiImageConfig {
  if (size === undefined || size === '' || size === 'auto') return {};
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(size.trim());
  if (!m) throw new InvalidRequestError(`size "${size}" is not supported: use WIDTHxHEIGHT (e.g. 1024x1024) or "auto".`, 'size');
  const w = Number(m[1]);
  const h = Number(m[2]);
  if (w < 64 || h < 64 || w > 8192 || h > 8192) throw new InvalidRequestError(`size "${size}" is not supported: each side must be between 64 and 8192 pixels.`, 'size');
  const ratio = Math.log(w / h);
  let best: string = GEMINI_ASPECT_RATIOS[0];
  let bestDiff = Infinity;
  for (const r of GEMINI_ASPECT_RATIOS) {
    const [a, b] = r.split(':').map(Number) as [number, number];
    const diff = Math.abs(ratio - Math.log(a / b));
    if (diff < bestDiff) {
      best = r;
      bestDiff = diff;
    }
  }
  if (bestDiff > Math.log(1.05)) {
    throw new InvalidRequestError(`size "${size}" is not supported: its aspect ratio is not one of ${GEMINI_ASPECT_RATIOS.join(', ')}.`, 'size');
  }
  const long = Math.max(w, h);
  const imageSize = long >= 4096 ? '4K' : long >= 2048 ? '2K' : undefined;
  return { aspectRatio: best, ...(imageSize ? { imageSize } : {}) };
}

export type GeminiPart = { text: string } | { inlineData: { mimeType: string; data: string } };

/** One generateContent body asking for an image only. */
export function geminiImageRequest(parts: GeminiPart[], config: GeminiImageConfig): Record<string, unknown> {
  return {
    contents: [{ role: 'user', parts }],
    generationConfig: {
      responseModalities: ['IMAGE'],
      ...(config.aspectRatio || config.imageSize ? { imageConfig: config } : {}),
    },
  };
}

export interface GeneratedImage {
  mimeType: string;
  data: string;
}

/** Every inline image of every candidate, and the model's text (why it refused, if it did). */
export function imagesOfGemini(res: GeminiImageResponse): { images: GeneratedImage[]; text: string; finish?: string } {
  const images: GeneratedImage[] = [];
  let text = '';
  let finish: string | undefined;
  for (const cand of res.candidates ?? []) {
    finish ??= cand.finishReason;
    for (const p of cand.content?.parts ?? []) {
      const inline = p.inlineData ?? p.inline_data;
      if (inline?.data) images.push({ mimeType: inline.mimeType ?? inline.mime_type ?? 'image/png', data: inline.data });
      else if (p.text && !p.thought) text += p.text;
    }
  }
  return { images, text, finish: finish ?? res.promptFeedback?.blockReason };
}

/** OpenAI images response; `url` answers carry a data URL (there is no file host behind us). */
export function openaiImagesBody(images: GeneratedImage[], format: 'b64_json' | 'url', usage: IrUsage | undefined, now = Date.now()) {
  return {
    created: Math.floor(now / 1000),
    data: images.map((img) => (format === 'url' ? { url: `data:${img.mimeType};base64,${img.data}` } : { b64_json: img.data })),
    ...(usage
      ? { usage: { input_tokens: usage.inputTokens, output_tokens: usage.outputTokens, total_tokens: usage.totalTokens ?? usage.inputTokens + usage.outputTokens } }
      : {}),
  };
}

export function sumGeminiUsage(responses: GeminiImageResponse[]): IrUsage | undefined {
  let seen = false;
  const u: IrUsage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  for (const r of responses) {
    const m = r.usageMetadata;
    if (!m) continue;
    seen = true;
    u.inputTokens += m.promptTokenCount ?? 0;
    u.outputTokens += m.candidatesTokenCount ?? 0;
    u.totalTokens! += m.totalTokenCount ?? (m.promptTokenCount ?? 0) + (m.candidatesTokenCount ?? 0);
  }
  return seen ? u : undefined;
}

export function usageOfOpenaiImages(body: unknown): IrUsage | undefined {
  const u = (body as { usage?: { input_tokens?: number; output_tokens?: number; total_tokens?: number } } | undefined)?.usage;
  if (!u || typeof u !== 'object') return undefined;
  const input = u.input_tokens ?? 0;
  const output = u.output_tokens ?? 0;
  return { inputTokens: input, outputTokens: output, totalTokens: u.total_tokens ?? input + output };
}
