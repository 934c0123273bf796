import type * as lark from '@larksuiteoapi/node-sdk';

type CacheKey = Parameters<lark.Cache['get']>[0];

/** Tenant-token cache per client (the SDK's default is process-global per appId), so a rejected token can be dropped. */
export class TokenCache implements lark.Cache {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();

  async get(key: CacheKey, options?: { namespace?: string }): Promise<unknown> {
    const k = `${options?.namespace ?? ''}:${String(key)}`;
    const entry = this.values.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt < Date.now()) {
      this.values.delete(k);
      return undefined;
    }
    return entry.value;
  }

  async set(key: CacheKey, value: unknown, expire?: number, options?: { namespace?: string }) {
    this.values.set(`${options?.namespace ?? ''}:${String(key)}`, {
      value,
      ...(expire === undefined ? {} : { expiresAt: expire }),
    });
    return true;
  }

  clear(): void {
    this.values.clear();
  }
}
