/** The result of a validation step: the value, or why the service would answer 50215. */
export type SimValidation<T> = { ok: true; value: T } | { ok: false; reason: string };

export const invalid = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
