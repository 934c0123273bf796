/** Base class: every failure the fake gateway reports to a test. */
export class FakeLarkGatewayError extends Error {
  override name = 'FakeLarkGatewayError';
}

/** pushEvent found no open long connection to push to. */
export class GatewayNotConnectedError extends FakeLarkGatewayError {
  override name = 'GatewayNotConnectedError';
}

/** The client did not answer a pushed event within the timeout (Feishu waits 3 s, then re-delivers). */
export class AckTimeoutError extends FakeLarkGatewayError {
  override name = 'AckTimeoutError';
  constructor(
    readonly messageId: string,
    readonly timeoutMs: number,
  ) {
    super(`no ack for message_id ${messageId} within ${timeoutMs} ms`);
  }
}

/** The connection closed before the client acked a pushed event. */
export class ConnectionClosedError extends FakeLarkGatewayError {
  override name = 'ConnectionClosedError';
  constructor(readonly messageId: string) {
    super(`connection closed before the ack for message_id ${messageId}`);
  }
}

/** waitForFrame / waitForConnections gave up. */
export class WaitTimeoutError extends FakeLarkGatewayError {
  override name = 'WaitTimeoutError';
}

/** The gateway was closed while something was still waiting on it. */
export class GatewayClosedError extends FakeLarkGatewayError {
  override name = 'GatewayClosedError';
}
