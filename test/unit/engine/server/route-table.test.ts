import { describe, expect, it } from 'vitest';
import { ROUTES, matchRoute, wireForUnmatchedPath } from '../../../../src-main/engine/server/route-table';

describe('route table', () => {
  it('matches each documented path exactly, with its method (HEAD as GET)', () => {
    expect(matchRoute('POST', '/v1/chat/completions')?.spec.id).toBe('openai-chat');
    expect(matchRoute('POST', '/v1/messages/count_tokens')?.spec.id).toBe('claude-count-tokens');
    expect(matchRoute('GET', '/v1/models')?.spec.id).toBe('models');
    expect(matchRoute('HEAD', '/v1/models')?.spec.id).toBe('models');
    expect(matchRoute('GET', '/v1/chat/completions')).toBeUndefined();
    expect(matchRoute('DELETE', '/v1/models')).toBeUndefined();
  });

  it('is case-sensitive and strict: other spellings are not routes', () => {
    for (const p of ['/V1/chat/completions', '/v1/chat/completions/', '//v1/chat/completions', '/v1/chat%2Fcompletions', '/v1/./chat/completions', '/v1/Chat/completions'])
      expect(matchRoute('POST', p), p).toBeUndefined();
    expect(matchRoute('POST', '/V1BETA/models/m:generateContent')).toBeUndefined();
    expect(matchRoute('POST', '/v1beta/models/m:GenerateContent')).toBeUndefined();
  });

  it('reads the Gemini model and action from the path, percent-decoding the model only', () => {
    expect(matchRoute('POST', '/v1beta/models/gemini-2.5-pro:streamGenerateContent')).toMatchObject({ spec: { id: 'gemini-stream-generate' }, model: 'gemini-2.5-pro' });
    expect(matchRoute('POST', '/v1beta/models/team%2Fflash:generateContent')).toMatchObject({ spec: { id: 'gemini-generate' }, model: 'team/flash' });
    expect(matchRoute('POST', '/v1beta/models/a:b:countTokens')).toMatchObject({ spec: { id: 'gemini-count-tokens' }, model: 'a:b' });
    expect(matchRoute('POST', '/v1beta/models/%E0%A4%A:generateContent')).toMatchObject({ badModelEncoding: true });
    expect(matchRoute('GET', '/v1beta/models/gemini-2.5-pro')).toMatchObject({ spec: { id: 'gemini-model' }, model: 'gemini-2.5-pro' });
  });

  it('refuses empty and dot segments in the model part', () => {
    for (const p of ['/v1beta/models/:generateContent', '/v1beta/models//m:generateContent', '/v1beta/models/../m:generateContent', '/v1beta/models/./m:generateContent', '/v1beta/models/m/:generateContent'])
      expect(matchRoute('POST', p), p).toBeUndefined();
    expect(matchRoute('GET', '/v1beta/models/')).toBeUndefined();
  });

  it('has exactly two kinds of access, and only /healthz and / are public', () => {
    expect(new Set(ROUTES.map((r) => r.access))).toEqual(new Set(['public', 'client-key']));
    expect(ROUTES.filter((r) => r.access === 'public').map((r) => r.path).sort()).toEqual(['/', '/healthz']);
  });

  it('guesses an error format for unknown paths without granting anything', () => {
    expect(wireForUnmatchedPath('/V1BETA/x')).toBe('gemini');
    expect(wireForUnmatchedPath('/v1/Messages/x')).toBe('claude-messages');
    expect(wireForUnmatchedPath('/nothing')).toBe('openai-chat');
  });
});
