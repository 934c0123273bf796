import * as lark from '@larksuiteoapi/node-sdk';

/** 'feishu' (default) → Domain.Feishu, 'lark' → Domain.Lark, anything else is a base URL. */
export function resolveDomain(domain: string | undefined): lark.Domain | string {
  if (domain === undefined || domain === '' || domain === 'feishu') return lark.Domain.Feishu;
  if (domain === 'lark') return lark.Domain.Lark;
  return domain.replace(/\/+$/, '');
}
