/** Price per million tokens, in the user's currency, for one model (as clients name it). */
export interface Price {
  input: number;
  output: number;
}

const KEY = 'switchyard.prices';

/** The user's price table; the UI ships none: list prices change and plans differ. */
export function loadPrices(): Record<string, Price> {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    const out: Record<string, Price> = Object.create(null);
    if (raw && typeof raw === 'object') {
      for (const [model, p] of Object.entries(raw)) {
        if (p && typeof p === 'object' && 'input' in p && 'output' in p && typeof p.input === 'number' && typeof p.output === 'number') out[model] = { input: p.input, output: p.output };
      }
    }
    return out;
  } catch {
    return Object.create(null);
  }
}

export function savePrices(prices: Record<string, Price>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(prices));
  } catch {
    // storage disabled: prices last for this session only
  }
}

/** Cost of some tokens at a price per million; null when the model has no price yet. */
export function cost(tokens: { input: number; output: number }, price: Price | undefined): number | null {
  if (!price) return null;
  return (tokens.input * price.input + tokens.output * price.output) / 1_000_000;
}
