/**
 * Business codes and messages, from the 业务错误码 table of the Jimeng 3.0 video pages on Volcengine
 * (docs/85621/1792707 and siblings; copies of those pages are in public repositories) and the reference
 * notes in docs. (That table words 50412 "Text Risk Not Pass"; the simulator keeps the older
 * "Pre Text Risk Not Pass" it always answered.) The HTTP statuses are the table's, except that the simulator answers a task failure
 * code 50500 with HTTP 200 (the poll itself worked); pass `httpStatus` in a SimFailure to change it.
 */
export const BIZ_MESSAGES: Readonly<Record<number, string>> = {
  10000: 'Success',
  50215: 'Input invalid for this service.',
  50400: 'Access Denied',
  50411: 'Pre Img Risk Not Pass',
  50412: 'Pre Text Risk Not Pass',
  50413: 'Post Text Risk Not Pass',
  50429: 'Request Has Reached API Limit, Please Try Later',
  50430: 'Request Has Reached API Concurrent Limit, Please Try Later',
  50500: 'Internal Error',
  50501: 'Internal RPC Error',
  50511: 'Post Img Risk Not Pass',
  50512: 'Post Text Risk Not Pass',
  50516: 'Post Video Risk Not Pass',
  50517: 'Post Audio Risk Not Pass',
  50518: 'Pre Img Risk Not Pass: Copyright',
  50519: 'Post Img Risk Not Pass: Copyright',
  50520: 'Risk Internal Error',
  50521: 'Antidirt Internal Error',
  50522: 'Image Copyright Internal Error',
};

/** The documented message for a code ('Unknown Error' for codes outside the table). */
export function bizMessage(code: number): string {
  return BIZ_MESSAGES[code] ?? 'Unknown Error';
}

/**
 * HTTP status for a failure answered by get-result: the table's, except 50500/50501 which the simulator
 * has always answered with HTTP 200 for a failed generation (the poll itself worked).
 */
export function failureHttpStatus(code: number): number {
  if (code === 50429 || code === 50430) return 429;
  if (code === 50215 || (code >= 50400 && code < 50500) || (code >= 50511 && code <= 50522)) return 400;
  return 200;
}
