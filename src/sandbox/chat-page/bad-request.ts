import type { Context } from 'koa';
import { SANDBOX_USERS, sandboxUser } from '../sandbox-users.js';

/** A refusal the page's API answers as `{error: {code, message}}` with `status`. */
export class BadRequest extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs `work` and answers its result as JSON, or its BadRequest as the error shape. */
export async function answer(ctx: Context, work: () => Promise<unknown>): Promise<void> {
  try {
    ctx.body = await work();
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    ctx.status = e.status;
    ctx.body = { error: { code: e.code, message: e.message } };
  }
}

export function notFound(ctx: Context, message: string): void {
  ctx.status = 404;
  ctx.body = { error: { code: 'NOT_FOUND', message } };
}

/** The open_id of one of the simulated users, or BAD_USER. */
export function checkUser(user: unknown): string {
  if (typeof user !== 'string' || !sandboxUser(user))
    throw new BadRequest(
      400,
      'BAD_USER',
      `user 必须是模拟用户之一：${SANDBOX_USERS.map((u) => `${u.openId}（${u.name}）`).join('、')}`,
    );
  return user;
}
