import type { AccountStatus } from '../../../src-shared/domain';
import type { Tone } from '../../components/ui';

export function statusTone(s: AccountStatus): Tone {
  return s === 'active' ? 'ok' : s === 'cooling' ? 'warn' : s === 'disabled' ? 'muted' : 'bad';
}
