import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_ID, type FeishuApi, startFeishuApi, text } from './fake-feishu-client.js';

let t: FeishuApi | undefined;
afterEach(async () => {
  await t?.f.close();
  t = undefined;
});

const createInChat = (api: FeishuApi, body: Record<string, unknown>) =>
  api.call('POST', '/open-apis/im/v1/messages?receive_id_type=chat_id', { receive_id: 'oc_1', ...body });

function videoForm(opts: { fileName?: string | undefined } = {}): FormData {
  const form = new FormData();
  form.append('file_type', 'mp4');
  form.append('file_name', 'a.mp4');
  const blob = new Blob([new Uint8Array(16).fill(7)]);
  if (opts.fileName === undefined) form.append('file', blob, 'a.mp4');
  else form.append('file', blob, opts.fileName);
  return form;
}

describe('fake Feishu: im.message.create to a chat', () => {
  it('turns <at user_id> tags into @_user_N keys and mentions, and records what was sent', async () => {
    t = await startFeishuApi({ users: [{ openId: 'ou_bob', name: 'Bob' }] });
    const sent = '<at user_id="ou_bob"></at> 额度已设为 5，<at user_id="ou_amy">Amy</at> 也是';
    const a = await createInChat(t, text(sent));
    expect(a.status).toBe(200);
    expect(a.json.data).toMatchObject({
      chat_id: 'oc_1',
      msg_type: 'text',
      body: { content: JSON.stringify({ text: '@_user_1 额度已设为 5，@_user_2 也是' }) },
      mentions: [
        { key: '@_user_1', id: 'ou_bob', id_type: 'open_id', name: 'Bob' },
        { key: '@_user_2', id: 'ou_amy', id_type: 'open_id', name: 'Amy' },
      ],
    });
    const stored = t.f.botMessages('oc_1')[0]!;
    expect(stored.sentContent).toBe(JSON.stringify({ text: sent }));
    expect(stored.mentions).toEqual([
      { key: '@_user_1', openId: 'ou_bob', name: 'Bob' },
      { key: '@_user_2', openId: 'ou_amy', name: 'Amy' },
    ]);
  });

  it('sends a card to the chat as it is', async () => {
    t = await startFeishuApi();
    const card = JSON.stringify({
      schema: '2.0',
      config: { update_multi: true },
      body: { elements: [{ tag: 'markdown', content: '<at id=ou_bob></at> 你的视频好了' }] },
    });
    const a = await createInChat(t, { msg_type: 'interactive', content: card, uuid: 'u-card-1' });
    expect(a.json).toMatchObject({
      code: 0,
      data: { chat_id: 'oc_1', msg_type: 'interactive', body: { content: card } },
    });
    const again = await createInChat(t, { msg_type: 'interactive', content: card, uuid: 'u-card-1' });
    expect(again.json.data.message_id).toBe(a.json.data.message_id);
    expect(t.f.botMessages('oc_1')).toHaveLength(1);
  });
});

describe('fake Feishu: uploads', () => {
  it('with requireFileName, refuses a file part without a filename (234001) and takes one with it', async () => {
    t = await startFeishuApi({ requireFileName: true });
    const form = videoForm({ fileName: '' });
    expect(await t.upload(form)).toEqual({
      status: 400,
      json: { code: 234001, msg: 'Invalid request param.' },
    });
    expect(t.f.uploads).toHaveLength(0);
    const ok = await t.upload(videoForm());
    expect(ok.json).toMatchObject({ code: 0, data: { file_key: expect.stringMatching(/^file_v3_/) } });
    t.f.requireFileName = false;
    expect((await t.upload(videoForm({ fileName: '' }))).json.code).toBe(0);
  });

  it("the SDK's upload of a Buffer carries no filename (refused when strict); a ReadStream's does", async () => {
    t = await startFeishuApi({ requireFileName: true });
    const client = new lark.Client({
      appId: APP_ID,
      appSecret: 'sec',
      domain: t.f.url,
      loggerLevel: lark.LoggerLevel.fatal,
    });
    const data = { file_type: 'mp4' as const, file_name: 'v.mp4', duration: 2000 };
    const buffer = await client.im.file.create({ data: { ...data, file: Buffer.from('mp4 bytes') } }).then(
      () => 'accepted',
      (e: { response?: { data?: { code?: number } } }) => e.response?.data?.code,
    );
    expect(buffer).toBe(234001);
    const path = join(mkdtempSync(join(tmpdir(), 'fake-feishu-')), 'v.mp4');
    writeFileSync(path, 'mp4 bytes');
    const stream = await client.im.file.create({ data: { ...data, file: createReadStream(path) } });
    expect(stream?.file_key).toMatch(/^file_v3_/);
    expect(t.f.uploads.map((u) => u.bytes.toString())).toEqual(['mp4 bytes']);
  });

  it("refuses an empty file with the documented message (234010 File's size can't be 0.)", async () => {
    t = await startFeishuApi();
    const form = new FormData();
    form.append('file_type', 'mp4');
    form.append('file_name', 'a.mp4');
    form.append('file', new Blob([]), 'a.mp4');
    expect(await t.upload(form)).toEqual({
      status: 400,
      json: { code: 234010, msg: "File's size can't be 0." },
    });
  });
});

describe("fake Feishu: the 'code' fault (HTTP 200, code ≠ 0)", () => {
  it('answers the business code with HTTP 200 once, on any route, before or after the work', async () => {
    t = await startFeishuApi();
    t.f.faults.next.push(
      { route: 'upload', kind: 'code', code: 234006, msg: 'The file size exceed the max value.' },
      {
        route: 'create',
        kind: 'code',
        code: 230020,
        msg: 'This operation triggers the frequency limit.',
        after: true,
      },
      { route: 'chat', kind: 'code', code: 232006, msg: 'invalid', httpStatus: 400 },
    );
    expect(await t.upload(videoForm())).toEqual({
      status: 200,
      json: { code: 234006, msg: 'The file size exceed the max value.' },
    });
    expect(t.f.uploads).toHaveLength(0);
    expect(await createInChat(t, text('hi'))).toEqual({
      status: 200,
      json: { code: 230020, msg: 'This operation triggers the frequency limit.' },
    });
    expect(t.f.botMessages()).toHaveLength(1); // `after`: the message exists, its answer was lost
    expect((await t.call('GET', '/open-apis/im/v1/chats/oc_1')).status).toBe(400);
    expect((await t.upload(videoForm())).json.code).toBe(0);
    expect(t.f.calls.filter((c) => c.fault === 'code').map((c) => [c.route, c.status, c.code])).toEqual([
      ['upload', 200, 234006],
      ['create', 200, 230020],
      ['chat', 400, 232006],
    ]);
  });
});
