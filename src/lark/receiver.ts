import Router from '@koa/router';
import type { Context } from 'koa';
import { type Logger, silentLogger } from '../log.js';
import { decodeDelivery } from './decode-delivery.js';
import { dispatch } from './dispatch.js';
import type { ChatEventHandler } from './events.js';
import { BodyTooLargeError, readRawBody } from './read-raw-body.js';
import { sha256, type VerifyOptions, verifyDelivery } from './verify-delivery.js';

export interface ReceiverOptions extends VerifyOptions {
  /** Must be quick (persist & enqueue, then ack): Feishu re-delivers what is not answered within 3 s. */
  onEvent: ChatEventHandler;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Where Feishu posts events and card callbacks. Default ['/webhook/event', '/webhook/card']. */
  paths?: string[];
  logger?: Logger;
}

/**
 * Koa router answering Feishu's webhook requests: events and card callbacks (the console's callback URL
 * may be the event URL; `/webhook/card` is an alias). It only verifies, decodes and acknowledges: the
 * answer is whatever the handler acks with (a card callback's toast and card), `{}` otherwise.
 */
export function createReceiverRouter(opts: ReceiverOptions): Router {
  const router = new Router();
  const log = opts.logger ?? silentLogger;
  const tokenHash = sha256(opts.verificationToken);
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const handle = async (ctx: Context) => {
    // Set outright: Koa would otherwise look the type up by name for every response.
    ctx.set('Content-Type', 'application/json; charset=utf-8');
    let raw: Buffer;
    try {
      raw = await readRawBody(ctx.req, limit);
    } catch (e) {
      const tooLarge = e instanceof BodyTooLargeError;
      if (tooLarge) ctx.set('Connection', 'close');
      log.warn(
        tooLarge
          ? `lark webhook: request body over ${limit} bytes rejected`
          : `lark webhook: could not read body: ${(e as Error).message}`,
      );
      ctx.status = tooLarge ? 413 : 400;
      ctx.body = { error: tooLarge ? 'payload too large' : 'could not read body' };
      return;
    }
    const verdict = verifyDelivery(
      raw,
      {
        timestamp: ctx.get('X-Lark-Request-Timestamp'),
        nonce: ctx.get('X-Lark-Request-Nonce'),
        signature: ctx.get('X-Lark-Signature'),
      },
      opts,
      tokenHash,
    );
    if (verdict.kind === 'reject') {
      if (verdict.log) log.warn(verdict.log);
      ctx.status = verdict.status;
      ctx.body = { error: verdict.error };
      return;
    }
    if (verdict.kind === 'challenge') {
      ctx.body = { challenge: verdict.challenge };
      return;
    }
    if (verdict.kind === 'stale') {
      ctx.body = await dispatch(
        { type: 'other', eventType: 'unknown', reason: 'stale_delivery', ageMs: verdict.ageMs },
        opts.onEvent,
        log,
      );
      return;
    }
    try {
      ctx.body = await dispatch(decodeDelivery(verdict.body), opts.onEvent, log);
    } catch (err) {
      log.error(
        { err, eventId: verdict.eventId, eventType: verdict.eventType },
        'lark webhook: event handler failed; answering 500 so Feishu delivers it again',
      );
      ctx.status = 500;
      ctx.body = { error: 'handler failed' };
    }
  };
  for (const path of opts.paths ?? ['/webhook/event', '/webhook/card']) router.post(path, handle);
  return router;
}
