import { imageInfo } from '../jimeng/image-info.js';
import type { ChatMessage } from '../lark/events.js';
import type { Messenger } from '../lark/messenger.js';
import type { JobImage } from '../store/records.js';

export interface FoundImage extends JobImage {
  bytes: Buffer;
}

export interface FoundImages {
  /** The first two, downloaded: first frame, then last frame. */
  images: FoundImage[];
  /** How many the messages carried in all (more than two: the rest are not used). */
  total: number;
}

/**
 * The images a `/video` uses, in order: the replied-to message's, then the command's own (a reply to an
 * image whose own post carries a second image is first + last frame). Only the first two are used.
 */
export async function findImages(
  msg: ChatMessage,
  messenger: Pick<Messenger, 'getMessage' | 'downloadImage'>,
): Promise<FoundImages> {
  const sources: { messageId: string; imageKey: string }[] = [];
  if (msg.parentId) {
    const parent = await messenger.getMessage(msg.parentId);
    for (const key of parent?.imageKeys ?? []) sources.push({ messageId: msg.parentId, imageKey: key });
  }
  for (const key of msg.imageKeys) sources.push({ messageId: msg.messageId, imageKey: key });
  const images = await Promise.all(sources.slice(0, 2).map((s) => download(s, messenger)));
  return { images, total: sources.length };
}

/** Downloads one image a job refers to (for a job made from a card click: the original message's image). */
export async function download(
  source: { messageId: string; imageKey: string },
  messenger: Pick<Messenger, 'downloadImage'>,
): Promise<FoundImage> {
  const bytes = await messenger.downloadImage(source.messageId, source.imageKey);
  const info = imageInfo(bytes);
  return { ...source, bytes, width: info.width ?? 0, height: info.height ?? 0 };
}
