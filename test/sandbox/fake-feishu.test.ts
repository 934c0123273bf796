import { afterEach, describe, expect, it } from 'vitest';
import { type FakeFeishu, type StoredMessage, startFakeFeishu } from '../../src/sandbox/fake-feishu.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON answers, asserted with toMatchObject
type Json = Record<string, any>;

let fake: FakeFeishu | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup() {
  fake = await startFakeFeishu({ appId: 'cli_0123456789abcdef', appSecret: 'sec' });
  const f = fake;
  const api = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${f.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
  const tok = await api('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    app_id: 'cli_0123456789abcdef',
    app_secret: 'sec',
  });
  return { f, api, token: tok.json.tenant_access_token as string, tok };
}

describe('fake Feishu', () => {
  it('issues tokens only for the right credentials and guards im routes', async () => {
    const { api, token, tok } = await setup();
    expect(tok.json).toMatchObject({ code: 0, expire: 7200 });
    expect(token).toMatch(/^t-/);
    const bad = await api('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      app_id: 'cli_0123456789abcdef',
      app_secret: 'wrong',
    });
    expect(bad.json.code).toBe(10014);
    expect((await api('GET', '/open-apis/im/v1/messages/om_x')).json.code).toBe(99991661);
    expect((await api('GET', '/open-apis/im/v1/messages/om_x', undefined, 't-forged')).json.code).toBe(
      99991663,
    );
  });

  it('threads replies, honours uuid and emits message events', async () => {
    const { f, api, token } = await setup();
    const seen: StoredMessage[] = [];
    f.on('message', (m) => seen.push(m));
    const root = f.addUserMessage({
      chatId: 'oc_1',
      senderOpenId: 'ou_u',
      msgType: 'text',
      content: { text: 'hi' },
    });
    const body = {
      msg_type: 'text',
      content: JSON.stringify({ text: 'yo' }),
      reply_in_thread: true,
      uuid: 'x1',
    };
    const a = await api('POST', `/open-apis/im/v1/messages/${root}/reply`, body, token);
    const b = await api('POST', `/open-apis/im/v1/messages/${root}/reply`, body, token);
    expect(a.json.code).toBe(0);
    expect(b.json.data.message_id).toBe(a.json.data.message_id);
    expect(a.json.data).toMatchObject({
      parent_id: root,
      root_id: root,
      chat_id: 'oc_1',
      msg_type: 'text',
      sender: { id: 'cli_0123456789abcdef', sender_type: 'app' },
      body: { content: '{"text":"yo"}' },
    });
    expect(a.json.data.thread_id).toBe(f.getStoredMessage(root)?.threadId);
    expect(seen.map((m) => m.senderType)).toEqual(['user', 'app']);

    const created = await api(
      'POST',
      '/open-apis/im/v1/messages?receive_id_type=chat_id',
      { receive_id: 'oc_1', msg_type: 'text', content: '{"text":"hello"}', uuid: 'x2' },
      token,
    );
    expect(created.json.data).toMatchObject({ chat_id: 'oc_1', parent_id: '' });
    const bad = await api(
      'POST',
      `/open-apis/im/v1/messages/${root}/reply`,
      { msg_type: 'text', content: 'nope' },
      token,
    );
    expect(bad).toMatchObject({ status: 400, json: { code: 230001 } });
  });

  it('parses multipart uploads and enforces the size limit', async () => {
    fake = await startFakeFeishu({ appId: 'cli_0123456789abcdef', appSecret: 'sec', maxFileBytes: 1000 });
    const f = fake;
    const tok = await fetch(`${f.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      body: JSON.stringify({ app_id: 'cli_0123456789abcdef', app_secret: 'sec' }),
    }).then((r) => r.json() as Promise<{ tenant_access_token: string }>);
    const upload = (size: number) => {
      const form = new FormData();
      form.append('file_type', 'mp4');
      form.append('file_name', 'a.mp4');
      form.append('duration', '5000');
      form.append('file', new Blob([new Uint8Array(size).fill(7)]), 'a.mp4');
      return fetch(`${f.url}/open-apis/im/v1/files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tok.tenant_access_token}` },
        body: form,
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as Json }));
    };
    const ok = await upload(900);
    expect(ok.json.code).toBe(0);
    expect(f.uploads[0]).toMatchObject({ fileKey: ok.json.data.file_key, fileName: 'a.mp4', duration: 5000 });
    expect(f.uploads[0]?.bytes).toEqual(Buffer.alloc(900, 7));
    expect(await upload(1001)).toMatchObject({ status: 400, json: { code: 234006 } });
  });

  it('patches only shared cards and records patches with timestamps', async () => {
    const { f, api, token } = await setup();
    const root = f.addUserMessage({
      chatId: 'oc_1',
      senderOpenId: 'ou_u',
      msgType: 'text',
      content: { text: 'hi' },
    });
    const cardA = JSON.stringify({ config: { update_multi: true }, elements: [] });
    const sent = await api(
      'POST',
      `/open-apis/im/v1/messages/${root}/reply`,
      { msg_type: 'interactive', content: cardA },
      token,
    );
    const id = sent.json.data.message_id as string;
    const patched: string[] = [];
    f.on('patch', (p) => patched.push(p.messageId));
    const cardB = JSON.stringify({ config: { update_multi: true }, elements: [{ tag: 'hr' }] });
    expect((await api('PATCH', `/open-apis/im/v1/messages/${id}`, { content: cardB }, token)).json.code).toBe(
      0,
    );
    expect(f.patches).toEqual([{ messageId: id, content: cardB, at: expect.any(Number) }]);
    expect(patched).toEqual([id]);
    const got = await api('GET', `/open-apis/im/v1/messages/${id}`, undefined, token);
    expect(got.json.data.items[0]).toMatchObject({ body: { content: cardB }, updated: true });
    const noMulti = JSON.stringify({ elements: [] });
    expect(
      (await api('PATCH', `/open-apis/im/v1/messages/${id}`, { content: noMulti }, token)).json.code,
    ).toBe(230099);
    expect(
      (await api('PATCH', `/open-apis/im/v1/messages/${root}`, { content: cardB }, token)).json.code,
    ).toBe(230012);
  });

  it('applies injected faults once, in order, per route', async () => {
    const { f, api, token } = await setup();
    f.faults.next.push({ route: 'get', kind: 'rate_limit' }, { route: 'get', kind: '500' });
    const id = f.addUserMessage({
      chatId: 'oc_1',
      senderOpenId: 'ou_u',
      msgType: 'text',
      content: { text: 'hi' },
    });
    expect((await api('GET', `/open-apis/im/v1/messages/${id}`, undefined, token)).status).toBe(429);
    expect((await api('GET', `/open-apis/im/v1/messages/${id}`, undefined, token)).status).toBe(500);
    expect((await api('GET', `/open-apis/im/v1/messages/${id}`, undefined, token)).status).toBe(200);
    expect(f.calls.filter((c) => c.route === 'get').map((c) => c.fault)).toEqual([
      'rate_limit',
      '500',
      undefined,
    ]);
  });
});
