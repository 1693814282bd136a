import { ApiError } from '../../api';
import type { MessageKey } from '../../i18n';

/** A server error in words: known ids have their own sentence, others show the server's message. */
export function errorText(t: (k: MessageKey, p?: Record<string, string | number>) => string, err: unknown): string {
  if (err instanceof ApiError) {
    const known = `people.error.${err.id}` as MessageKey;
    const text = t(known);
    if (text !== known) return text;
    if (err.id === 'network') return t('error.network');
    return t('error.generic', { message: err.message });
  }
  return t('error.generic', { message: String(err) });
}
