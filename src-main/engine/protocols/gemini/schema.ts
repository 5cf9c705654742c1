import { z } from 'zod';

/**
 * Lenient zod schemas for the Gemini `GenerateContent` wire format, applied after
 * `camelizeKeys`. Loose objects keep fields we do not map (safetyRatings, groundingMetadata…).
 */

export const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string().optional(), data: z.string() }).optional(),
  fileData: z.looseObject({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
  functionCall: z.looseObject({ id: z.string().optional(), name: z.string(), args: z.unknown().optional() }).optional(),
  functionResponse: z
    .looseObject({ id: z.string().optional(), name: z.string(), response: z.unknown().optional() })
    .optional(),
});
export type GeminiPart = z.infer<typeof partSchema>;

/** Google's JSON parser takes a lone object where a list is expected; so do we. */
const listOf = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? [v] : v), z.array(item));

export const contentSchema = z.looseObject({
  role: z.string().optional(),
  parts: listOf(partSchema).default([]),
});
export type GeminiContent = z.infer<typeof contentSchema>;

export const functionDeclarationSchema = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  parametersJsonSchema: z.record(z.string(), z.unknown()).optional(),
});

export const toolSchema = z.looseObject({ functionDeclarations: z.array(functionDeclarationSchema).optional() });

export const thinkingConfigSchema = z.looseObject({
  thinkingBudget: z.number().int().optional(),
  thinkingLevel: z.string().optional(),
  includeThoughts: z.boolean().optional(),
});

export const generationConfigSchema = z.looseObject({
  temperature: z.number().optional(),
  topP: z.number().optional(),
  topK: z.number().optional(),
  maxOutputTokens: z.number().int().optional(),
  stopSequences: z.array(z.string()).optional(),
  candidateCount: z.number().int().optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  responseMimeType: z.string().optional(),
  responseSchema: z.record(z.string(), z.unknown()).optional(),
  responseJsonSchema: z.record(z.string(), z.unknown()).optional(),
  responseModalities: z.array(z.string()).optional(),
  thinkingConfig: thinkingConfigSchema.optional(),
});

export const requestSchema = z.looseObject({
  model: z.string().optional(),
  contents: listOf(contentSchema).default([]),
  systemInstruction: z.union([contentSchema, z.string()]).optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z
        .looseObject({ mode: z.string().optional(), allowedFunctionNames: z.array(z.string()).optional() })
        .optional(),
    })
    .optional(),
  generationConfig: generationConfigSchema.optional(),
  safetySettings: z.array(z.unknown()).optional(),
  cachedContent: z.string().optional(),
});
export type GeminiRequest = z.infer<typeof requestSchema>;

export const usageMetadataSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
});
export type GeminiUsage = z.infer<typeof usageMetadataSchema>;

export const candidateSchema = z.looseObject({
  content: z.looseObject({ role: z.string().optional(), parts: z.array(partSchema).optional() }).optional(),
  finishReason: z.string().optional(),
  index: z.number().optional(),
});

export const responseSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  usageMetadata: usageMetadataSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
  createTime: z.string().optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
});
export type GeminiResponse = z.infer<typeof responseSchema>;

export const errorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  }),
});
