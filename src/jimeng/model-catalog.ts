/**
 * The model catalog with prices from configuration. Prices are approximate 元 per second of video; the
 * defaults are the original spec's (720P 0.6, 1080P 0.8, Pro 1.0). The reference doc gives no separate
 * figure for first + last frame or camera motion, so those take their tier's price. Other published figures
 * differ (e.g. 720P ≈0.28, 1080P ≈0.63): pass a table.
 */
import { validationError } from './errors.js';
import {
  isModelTier,
  MODEL_DEFINITIONS,
  type ModelDefinition,
  type ModelMode,
  type ModelTier,
  TIERS,
} from './model-definitions.js';

export interface ModelInfo extends ModelDefinition {
  /** 元 per second of video. */
  pricePerSecond: number;
}

/** Price per second by req_key; models left out keep their default. */
export type PriceTable = Partial<Record<string, number>>;

export const DEFAULT_TIER_PRICES: Readonly<Record<ModelTier, number>> = {
  '720p': 0.6,
  '1080p': 0.8,
  pro: 1.0,
};

export const DEFAULT_PRICES: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(MODEL_DEFINITIONS.map((m) => [m.reqKey, DEFAULT_TIER_PRICES[m.tier]])),
);

export interface ModelCatalog {
  /** Copies, in catalog order. */
  list(): ModelInfo[];
  get(reqKey: string): ModelInfo | undefined;
  /** A tier or exact req_key for a mode; throws BAD_MODEL / MODE_UNSUPPORTED (validation errors). */
  resolve(model: string, mode?: ModelMode): ModelInfo;
  /** Approximate cost in 元 (rounded to fen) of `seconds` of video. */
  priceOf(model: ModelInfo | string, seconds: number): number;
}

const copy = (m: ModelInfo): ModelInfo => ({ ...m, durations: [...m.durations], ratios: [...m.ratios] });

export function createModelCatalog(prices: PriceTable = {}): ModelCatalog {
  for (const [key, value] of Object.entries(prices)) {
    if (!MODEL_DEFINITIONS.some((m) => m.reqKey === key)) {
      throw validationError('BAD_PRICE', `price for unknown model ${key}`, {
        model: key,
        value: Number(value),
      });
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw validationError('BAD_PRICE', `price for ${key} must be a number >= 0`, {
        model: key,
        value: Number(value),
      });
    }
  }
  const models: ModelInfo[] = MODEL_DEFINITIONS.map((m) => ({
    ...m,
    pricePerSecond: prices[m.reqKey] ?? DEFAULT_PRICES[m.reqKey]!,
  }));
  const get = (reqKey: string) => models.find((m) => m.reqKey === reqKey);
  return {
    list: () => models.map(copy),
    get: (reqKey) => {
      const m = get(reqKey);
      return m && copy(m);
    },
    resolve(model, mode = 'text') {
      const name = String(model ?? '').trim();
      const found = isModelTier(name)
        ? models.find((m) => m.tier === name && m.modes.includes(mode))
        : get(name);
      if (!found && !isModelTier(name)) {
        throw validationError('BAD_MODEL', `unknown model ${JSON.stringify(name)}`, {
          model: name,
          allowed: TIERS.join(', '),
        });
      }
      if (!found?.modes.includes(mode)) {
        throw validationError('MODE_UNSUPPORTED', `${name} has no model for mode ${mode}`, {
          model: name,
          mode,
        });
      }
      return copy(found);
    },
    priceOf(model, seconds) {
      const m = typeof model === 'string' ? get(model) : model;
      if (!m) throw validationError('BAD_MODEL', `unknown model ${String(model)}`, { model: String(model) });
      return Math.round(m.pricePerSecond * seconds * 100) / 100;
    },
  };
}

/** The catalog with default prices. */
export const defaultCatalog: ModelCatalog = createModelCatalog();
