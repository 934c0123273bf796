/** The uploaded videos (`GET /sandbox/files/:fileKey`, with Range) and images (`GET /sandbox/images/:imageKey`). */
import type Router from '@koa/router';
import type { FakeFeishu } from '../fake-feishu.js';
import { notFound } from './bad-request.js';
import { imageType, serveBytes } from './serve-bytes.js';

export function addMediaRoutes(router: Router, feishu: FakeFeishu): void {
  router.get('/sandbox/files/:fileKey', (ctx) => {
    const upload = feishu.uploads.find((u) => u.fileKey === ctx.params.fileKey);
    if (!upload) return notFound(ctx, '没有这个文件');
    ctx.type = upload.fileType === 'mp4' ? 'video/mp4' : 'application/octet-stream';
    serveBytes(ctx, upload.bytes);
  });

  router.get('/sandbox/images/:imageKey', (ctx) => {
    const image = feishu.images.get(ctx.params.imageKey ?? '');
    if (!image) return notFound(ctx, '没有这张图片');
    ctx.type = imageType(image.bytes) ?? 'application/octet-stream';
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.body = image.bytes;
  });
}
