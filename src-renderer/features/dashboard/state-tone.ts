import type { EngineState } from '../../../src-shared/domain';
import type { Tone } from '../../components/ui';

export function stateTone(s: EngineState): Tone {
  return s === 'running' ? 'ok' : s === 'error' ? 'bad' : s === 'stopped' ? 'muted' : 'warn';
}
