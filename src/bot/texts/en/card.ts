import { getCameraTemplate } from '../../../jimeng/camera-templates.js';
import { formatYuan } from '../format.js';
import type { CardTexts } from '../texts.js';
import { jobError } from './errors.js';

const BUTTONS = {
  reroll: 'Again',
  hd: 'HD',
  long: '10 s',
  edit: 'Edit prompt',
  retry: 'Retry',
  cancel: 'Cancel',
};

export const enCard: CardTexts = {
  title: {
    queued: '🎬 Queued',
    generating: '⏳ Generating',
    done: '✅ Video ready',
    failed: '❌ Failed',
    cancelled: '🚫 Cancelled',
  },
  prompt: 'Prompt',
  model: 'Model',
  duration: 'Duration',
  ratio: 'Ratio',
  image: 'Image',
  imageYes: 'yes (image to video)',
  job: 'Job',
  seed: 'Seed',
  cost: 'Cost',
  estimate: 'Estimated cost',
  mode: 'Mode',
  modeName: (mode, camera) =>
    mode === 'camera'
      ? `camera motion: ${getCameraTemplate(camera?.template ?? '')?.en ?? camera?.template} (${camera?.strength ?? 'medium'})`
      : {
          text: 'text to video',
          first_frame: 'image to video (first frame)',
          first_last_frame: 'first + last frame',
          camera: 'camera motion',
        }[mode],
  derived: (id, fromJob, action) =>
    `${id} (from ${fromJob}, "${BUTTONS[action as keyof typeof BUTTONS] ?? action}")`,
  button: BUTTONS,
  priced: (label, yuan) => `${label} · ¥${formatYuan(yuan)}`,
  pressed: (label) => `${label} · queued`,
  editPlaceholder: 'Edit the prompt and submit to make a new video',
  auto: 'auto',
  fact: (label, value) => `**${label}**: ${value}`,
  pair: (a, b) => `${a}   ${b}`,
  modelName: (tier, reqKey) => `${tier.toUpperCase()} (${reqKey})`,
  queued: (position) =>
    `${position ? `${position}. ` : ''}Generation usually takes 1–3 minutes; the video will be posted in this thread.`,
  seconds: (n) => `${n} s`,
  yuan: (n) => `≈ ¥${n.toFixed(2)}`,
  position: (n) => (n <= 1 ? 'next to submit' : `#${n} in queue`),
  busy: '⏳ Jimeng is busy (rate or concurrency limit); the bot retries automatically, no need to resend.',
  inQueueHint: 'Submitted; waiting in Jimeng’s queue. The video will be posted in this thread.',
  generatingHint: 'Jimeng is generating; the video will be posted in this thread.',
  cancelHint: (id) => `Send /cancel ${id} to cancel while queued`,
  link: (url, only) =>
    only
      ? `[Download](${url}) (⚠️ the link expires within 1 hour, save it now)`
      : `[Original link](${url}) (valid 1 hour; the video is saved in this thread)`,
  failed: (job) => {
    const reason = jobError(job.error?.code ?? 'UNKNOWN');
    const money =
      job.charge === 'refunded'
        ? 'Quota and cost refunded.'
        : 'The video was made and charged; quota not refunded.';
    return `${reason}\n${money}`;
  },
  cancelled: 'Job cancelled; quota and cost refunded.',
};
