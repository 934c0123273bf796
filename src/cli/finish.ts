/** Prints a task's outcome (downloading the video first when asked) and picks the exit code. */
import { writeFile } from 'node:fs/promises';
import type { JimengClient, TaskResult } from '../jimeng/client.js';
import { EXIT_FAILED, EXIT_OK, type Out } from './io.js';
import { jimengErrorText } from './texts/errors.js';
import { statusText } from './texts/status.js';

export interface FinishContext {
  taskId: string;
  reqKey: string;
  outFile?: string;
  json: boolean;
}

export async function finish(
  client: JimengClient,
  result: TaskResult & { elapsedMs?: number },
  ctx: FinishContext,
  { out, err }: Out,
): Promise<number> {
  let saved: string | undefined;
  if (result.status === 'done' && result.videoUrl && ctx.outFile) {
    await writeFile(ctx.outFile, await client.download(result.videoUrl));
    saved = ctx.outFile;
  }
  const ok = result.status === 'done' || result.status === 'in_queue' || result.status === 'generating';
  if (ctx.json) {
    out(
      JSON.stringify({
        ok,
        taskId: ctx.taskId,
        reqKey: ctx.reqKey,
        status: result.status,
        videoUrl: result.videoUrl,
        out: saved,
        elapsedMs: result.elapsedMs,
        requestId: result.requestId,
        error: result.error?.toJSON(),
      }),
    );
  } else if (result.status === 'done') {
    out(`✅ 视频已生成 (done)：${result.videoUrl}`);
    out('   注意：链接约 1 小时后失效 (the link expires in about an hour).');
    if (saved) out(`   已保存到 ${saved}`);
  } else if (ok) {
    out(`⏳ 任务 ${ctx.taskId} ${statusText(result.status)}`);
    out(`   稍后查看：jimeng wait ${ctx.taskId} --model ${ctx.reqKey}`);
  } else {
    err(result.error ? jimengErrorText(result.error) : `任务失败 (${result.status})`);
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}
