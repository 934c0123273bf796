type Details = Record<string, string | number> | undefined;

const which = (d: Details) =>
  d?.index !== undefined && Number(d.index) > 0 ? `Image ${Number(d.index) + 1}` : 'The image';
const size = (d: Details) => (d?.width !== undefined ? ` (${d.width}×${d.height})` : '');

export function invalidRequest(code: string, d?: Details): string {
  switch (code) {
    case 'PROMPT_EMPTY':
      return '⚠️ Please write a description of the video.';
    case 'PROMPT_TOO_LONG':
      return `⚠️ The description is too long${d?.chars !== undefined ? ` (${d.chars} characters)` : ''}: at most ${d?.max ?? 800}, ideally under 400.`;
    case 'BAD_DURATION':
      return '⚠️ The duration can only be 5 or 10 seconds.';
    case 'BAD_RATIO':
      return '⚠️ This model does not take that aspect ratio: choose 16:9, 4:3, 1:1, 3:4, 9:16 or 21:9.';
    case 'BAD_SEED':
      return '⚠️ The seed must be an integer from 0 to 2147483647.';
    case 'BAD_MODEL':
      return '⚠️ Unknown model; send /models for the list.';
    case 'IMAGE_REQUIRED':
      return '⚠️ This mode needs an image: reply to an image with the command.';
    case 'IMAGE_NOT_ALLOWED':
      return '⚠️ This model makes videos from text only; it takes no image.';
    case 'IMAGE_COUNT':
      return `⚠️ This mode takes ${d?.expected ?? d?.images ?? '?'} image(s)${d?.got !== undefined ? `, got ${d.got}` : ''}.`;
    case 'IMAGE_FORMAT':
      return `⚠️ ${which(d)} is not a JPEG or PNG (or the file is damaged).`;
    case 'IMAGE_TOO_LARGE':
      return `⚠️ ${which(d)} is too large${d?.mb !== undefined ? ` (${d.mb} MB)` : ''}: at most 4.7 MB.`;
    case 'IMAGE_DIMENSIONS':
      return `⚠️ ${which(d)}${size(d)} does not fit: the short side must be at least 320 px and the long side at most 4096 px.`;
    case 'IMAGE_ASPECT':
      return `⚠️ ${which(d)}${size(d)} is too narrow: the long side may be at most 3 times the short side.`;
    case 'IMAGE_RATIO_MISMATCH':
      return `⚠️ The first and last frame must have the same aspect ratio${d?.firstWidth !== undefined ? ` (these are ${d.firstWidth}×${d.firstHeight} and ${d.lastWidth}×${d.lastHeight})` : ''}: send two images of the same shape.`;
    case 'BAD_CAMERA':
    case 'CAMERA_TEMPLATE':
      return '⚠️ Unknown camera motion; send /help for the list.';
    case 'CAMERA_NEEDS_IMAGE':
      return '⚠️ Camera motion needs an image: reply to an image with /video --camera TEMPLATE description.';
    default:
      return '⚠️ Jimeng would not accept this request; check the description, options and image.';
  }
}

const TELL_ADMIN = 'Please tell an admin.';

export function jobError(code: string): string {
  switch (code) {
    case 'CONTENT_RISK_INPUT_TEXT':
    case 'CONTENT_RISK_OUTPUT_TEXT':
      return 'The description did not pass content review; please change it and try again.';
    case 'CONTENT_RISK_INPUT_IMAGE':
      return 'The image did not pass content review (sensitive or copyrighted content?); please use another image.';
    case 'CONTENT_RISK_OUTPUT':
      return 'The generated video did not pass content review; try once more or change the description a little.';
    case 'RISK_SERVICE_ERROR':
      return 'The content review service is having trouble; please try again later.';
    case 'INVALID_INPUT':
      return 'Jimeng did not accept the request (image or parameters); please check them.';
    case 'ACCESS_DENIED':
      return `The video service is not available (this model is not enabled for the account). ${TELL_ADMIN}`;
    case 'SIGNATURE':
    case 'AUTH':
      return `The video service is misconfigured (credentials rejected). ${TELL_ADMIN}`;
    case 'BAD_REQUEST':
    case 'BAD_RESPONSE':
    case 'UNKNOWN':
      return `Jimeng answered something the bot does not understand. ${TELL_ADMIN}`;
    case 'QPS_LIMIT':
    case 'CONCURRENCY_LIMIT':
      return 'Jimeng stayed busy and the job could not be submitted; please try again later.';
    case 'INTERNAL':
    case 'POLL_FAILED':
      return 'Jimeng had an internal error; please try again later.';
    case 'NETWORK':
    case 'TIMEOUT':
      return 'Jimeng could not be reached; please try again later.';
    case 'TASK_FAILED':
      return 'Jimeng could not make this video; try another description.';
    case 'TASK_NOT_FOUND':
      return 'Jimeng lost track of this task; please send the command again.';
    case 'TASK_EXPIRED':
      return 'The task expired (Jimeng keeps tasks for 12 hours); please send the command again.';
    case 'TASK_TIMEOUT':
      return 'Generation timed out: Jimeng did not return a result; please try again later.';
    case 'SUBMIT_UNCERTAIN':
      return 'The service was interrupted while submitting, so it is unknown whether Jimeng created the task. To avoid paying twice it is not retried; please send the command again.';
    case 'IMAGE_LOST':
      return 'The reference image can no longer be read (recalled?); please reply to the image again.';
    case 'VIDEO_EXPIRED':
    case 'DOWNLOAD_FAILED':
      return 'The video was made but could not be downloaded, and its link has expired.';
    case 'UNDELIVERABLE':
      return 'The video was made but cannot be sent to this chat (was the bot removed?).';
    case 'CANCELLED_RECALLED':
      return 'The message was recalled, so the job was cancelled.';
    default:
      return 'Generation failed for an unknown reason.';
  }
}
