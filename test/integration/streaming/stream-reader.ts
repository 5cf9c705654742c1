/** A streamed HTTP answer read piece by piece, so a test can wait for what it expects to see. */
export interface StreamReader {
  status: number;
  contentType: string;
  text(): string;
  /** Read until `seen(text so far)` holds; throws if the stream ends first. */
  until(seen: (text: string) => boolean): Promise<string>;
  /** Read to the end. */
  rest(): Promise<string>;
}

export async function openStream(url: string, body: unknown, headers: Record<string, string> = {}): Promise<StreamReader> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let got = '';
  let ended = false;
  const readOne = async () => {
    const step = await reader.read();
    if (step.done) ended = true;
    else got += decoder.decode(step.value, { stream: true });
  };
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text: () => got,
    until: async (seen) => {
      while (!seen(got)) {
        if (ended) throw new Error(`stream ended before the expected text; got: ${got.slice(0, 500)}`);
        await readOne();
      }
      return got;
    },
    rest: async () => {
      while (!ended) await readOne();
      return got;
    },
  };
}

export const count = (text: string, needle: string): number => text.split(needle).length - 1;
