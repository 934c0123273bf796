/**
 * `POST /sandbox/card-actions`: a simulated user clicks a button (or submits a form) on one of the bot's
 * cards. The click goes to the bot the way Feishu sends it: a `card.action.trigger` callback, encrypted
 * and signed, to the webhook (sandbox.clickCard), with the user as operator. The bot's answer is applied
 * as Feishu applies it: its `card` (`{type: 'raw', data}`) replaces the clicked card at once; its `toast`
 * goes back to the page to show. No answer within 3 s: the error toast Feishu shows.
 */
import type Router from '@koa/router';
import { SANDBOX_CHAT } from '../sandbox-users.js';
import { answer, BadRequest, checkUser } from './bad-request.js';
import { readJsonRequest } from './read-json-request.js';
import type { ChatPageSandbox } from './types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface CardActionView {
  toast: { type: string; content: string } | null;
  /** The answer's card replaced the clicked one. */
  cardReplaced: boolean;
}

export function addCardActionRoutes(router: Router, sandbox: ChatPageSandbox): void {
  const { feishu } = sandbox;
  router.post('/sandbox/card-actions', async (ctx) => {
    await answer(ctx, async (): Promise<CardActionView> => {
      const body = await readJsonRequest(ctx.req);
      const user = checkUser(body.user);
      const messageId = body.messageId;
      const card = typeof messageId === 'string' ? feishu.getStoredMessage(messageId) : undefined;
      if (
        !card ||
        card.chatId !== SANDBOX_CHAT ||
        card.senderType !== 'app' ||
        card.msgType !== 'interactive'
      )
        throw new BadRequest(400, 'BAD_CARD', 'messageId 不是本群聊中机器人发的卡片');
      if (body.value !== undefined && !isObj(body.value))
        throw new BadRequest(400, 'BAD_VALUE', 'value 必须是 JSON 对象（按钮的回传参数）');
      if (body.formValue !== undefined && !isObj(body.formValue))
        throw new BadRequest(400, 'BAD_FORM_VALUE', 'formValue 必须是 JSON 对象（表单项名 → 值）');
      for (const k of ['name', 'tag'] as const)
        if (body[k] !== undefined && typeof body[k] !== 'string')
          throw new BadRequest(400, 'BAD_COMPONENT', `${k} 必须是字符串`);
      let res: { status: number; body: unknown };
      try {
        res = await sandbox.clickCard({
          messageId: card.messageId,
          operatorOpenId: user,
          ...(isObj(body.value) ? { value: body.value } : {}),
          ...(isObj(body.formValue) ? { formValue: body.formValue } : {}),
          ...(typeof body.name === 'string' ? { name: body.name } : {}),
          ...(typeof body.tag === 'string' ? { tag: body.tag } : {}),
        });
      } catch (e) {
        if ((e as Error).name !== 'TimeoutError') throw e;
        return {
          toast: { type: 'error', content: '机器人没有在 3 秒内应答，飞书会提示操作失败' },
          cardReplaced: false,
        };
      }
      if (res.status !== 200)
        throw new BadRequest(502, 'CALLBACK_REJECTED', `机器人的回调接口返回了 HTTP ${res.status}`);
      const reply = isObj(res.body) ? res.body : {};
      const toast =
        isObj(reply.toast) && typeof reply.toast.content === 'string'
          ? {
              type: typeof reply.toast.type === 'string' ? reply.toast.type : 'info',
              content: reply.toast.content,
            }
          : null;
      let cardReplaced = false;
      if (isObj(reply.card) && reply.card.type === 'raw' && isObj(reply.card.data)) {
        feishu.replaceCard(card.messageId, reply.card.data);
        cardReplaced = true;
      }
      return { toast, cardReplaced };
    });
  });
}
