/** A refusal the fake answers as `{code, msg}` with an HTTP status, like the Open API's error table rows. */
export class FeishuApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    msg: string,
  ) {
    super(msg);
  }
}
