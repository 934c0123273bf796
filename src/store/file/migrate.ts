import { emptyData, type StoreData } from '../engine/state.js';
import type { AdminActionKind, AdminLogEntry, InboxItem, Job } from '../records.js';

type Loose = Record<string, unknown>;

/**
 * Brings a snapshot (with its journal applied) written by an earlier version up to the current shape.
 * Version 1 kept one `image` per job with a file path, the card's id as `cardMessageId`, the messages
 * themselves in the inbox and the admin log as free text.
 */
export function migrate(raw: Loose): StoreData {
  const d = { ...emptyData(), ...raw } as StoreData;
  if ((raw.version ?? 1) === 2) return d;
  d.version = 2;
  d.jobs = (raw.jobs as Loose[] | undefined)?.map(jobV1) ?? [];
  d.inbox = (raw.inbox as Loose[] | undefined)?.map(inboxV1) ?? [];
  d.adminLog = (raw.adminLog as Loose[] | undefined)?.map(adminV1) ?? [];
  d.chats = {};
  return d;
}

function jobV1(j: Loose): Job {
  const { image, cardMessageId, ...rest } = j as Loose & { image?: Loose; cardMessageId?: string };
  const job = {
    ...rest,
    sourceId: (j.sourceId as string | undefined) ?? (j.messageId as string),
  } as unknown as Job;
  if (image) {
    job.images = [
      {
        messageId: String(image.messageId),
        imageKey: String(image.imageKey),
        width: Number(image.width) || 0,
        height: Number(image.height) || 0,
      },
    ];
  }
  job.card = {
    ...(cardMessageId ? { messageId: cardMessageId } : {}),
    version: 1,
    sent: cardMessageId ? 1 : 0,
  };
  return job;
}

function inboxV1(m: Loose): InboxItem {
  if (typeof m.id === 'string' && 'payload' in m) return m as unknown as InboxItem;
  return { id: String(m.messageId), kind: 'message', receivedAt: Number(m.createTime) || 0, payload: m };
}

const V1_ACTIONS: Record<string, AdminActionKind> = {
  'quota set': 'quota_set',
  'quota add': 'quota_add',
  'quota chat': 'quota_chat',
  pause: 'pause',
  resume: 'resume',
};

function adminV1(a: Loose): AdminLogEntry {
  const action = V1_ACTIONS[String(a.action)] ?? 'pause';
  const detail = String(a.detail ?? '');
  const entry: AdminLogEntry = { by: String(a.by), action, at: Number(a.at) || 0 };
  const user = /ou_[0-9A-Za-z_-]+/.exec(detail)?.[0];
  const n = /(?:→ |\+)(\d+)|^(\d+)\//.exec(detail);
  if (user) entry.target = user;
  if (n) entry.n = Number(n[1] ?? n[2]);
  const day = /\((\d{4}-\d{2}-\d{2})\)/.exec(detail)?.[1];
  if (day) entry.day = day;
  if (action === 'pause') entry.reason = detail;
  return entry;
}
