import { z } from 'zod';

/** Most images one request may ask for (OpenAI's own limit). */
export const MAX_IMAGES = 10;

const n = z.coerce.number().int().min(1, 'n must be at least 1').max(MAX_IMAGES, `n must be at most ${MAX_IMAGES}`);

/** POST /v1/images/generations body (loose: passthrough upstreams see every field). */
export const openaiImagesRequestSchema = z.looseObject({
  model: z.string().trim().min(1, 'the "model" field is required').max(256, 'the model name is longer than 256 characters'),
  prompt: z.string().trim().min(1, 'prompt must not be empty').max(32_000, 'prompt is too long'),
  n: n.optional(),
  size: z.string().optional(),
  response_format: z.enum(['b64_json', 'url']).optional(),
  quality: z.string().optional(),
  user: z.string().optional(),
});
export type OpenAIImagesRequest = z.infer<typeof openaiImagesRequestSchema>;

/** Text fields of POST /v1/images/edits (multipart, so every value arrives as a string). */
export const openaiImageEditFieldsSchema = z.looseObject({
  model: z.string().trim().min(1, 'the "model" field is required').max(256, 'the model name is longer than 256 characters'),
  prompt: z.string().trim().min(1, 'prompt must not be empty').max(32_000, 'prompt is too long'),
  n: n.optional(),
  size: z.string().optional(),
  response_format: z.enum(['b64_json', 'url']).optional(),
  quality: z.string().optional(),
});
export type OpenAIImageEditFields = z.infer<typeof openaiImageEditFieldsSchema>;

const inline = z.looseObject({ mimeType: z.string().optional(), mime_type: z.string().optional(), data: z.string() });

/** The parts of a Gemini generateContent answer that matter for images. */
export const geminiImageResponseSchema = z.looseObject({
  candidates: z
    .array(
      z.looseObject({
        content: z.looseObject({
          parts: z
            .array(z.looseObject({ text: z.string().optional(), thought: z.boolean().optional(), inlineData: inline.optional(), inline_data: inline.optional() }))
            .optional(),
        }).optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z
    .looseObject({ promptTokenCount: z.number().optional(), candidatesTokenCount: z.number().optional(), totalTokenCount: z.number().optional() })
    .optional(),
});
export type GeminiImageResponse = z.infer<typeof geminiImageResponseSchema>;
