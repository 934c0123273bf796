/** Simple helpers over the default catalog (default prices), for callers that need no price configuration. */
import { defaultCatalog, type ModelInfo } from './model-catalog.js';
import type { ModelTier } from './model-definitions.js';

export type { ModelCatalog, ModelInfo, PriceTable } from './model-catalog.js';
export {
  DEFAULT_DURATION,
  DEFAULT_RATIO,
  DURATIONS,
  type Duration,
  framesFor,
  isModelTier,
  MODE_IMAGES,
  type ModelKind,
  type ModelMode,
  type ModelTier,
  RATIOS,
  TIERS,
} from './model-definitions.js';

/** The catalog at default prices. */
export const MODELS: readonly ModelInfo[] = Object.freeze(defaultCatalog.list());

export function getModel(reqKey: string): ModelInfo | undefined {
  return defaultCatalog.get(reqKey);
}

/** The model a tier means: text-only or with one first-frame image. */
export function resolveModel(tier: ModelTier, hasImage: boolean): ModelInfo {
  return defaultCatalog.resolve(tier, hasImage ? 'first_frame' : 'text');
}

/** Approximate cost in 元 at default prices (rounded to fen). */
export function priceOf(model: ModelInfo, seconds: number): number {
  return Math.round(model.pricePerSecond * seconds * 100) / 100;
}
