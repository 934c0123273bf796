/** Words for JimengErrors in the CLI (the operator reads them). */
import type { JimengError } from '../../jimeng/errors.js';

export function jimengErrorText(e: JimengError): string {
  const extra = [e.jimengCode ?? e.gatewayCode, e.requestId ? `request_id ${e.requestId}` : undefined]
    .filter((x) => x !== undefined && !e.message.includes(String(x)))
    .join(', ');
  return `错误 [${e.code}]：${e.userMessage} (${e.message}${extra ? `; ${extra}` : ''})`;
}
