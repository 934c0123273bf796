/**
 * Open-loop fixed-rate load for ack latency: one request every 1000/rate ms, never waiting for answers, so
 * each ack's latency is measured without the bursts autocannon's rate limiter makes. Runs in its own
 * process (bench/target.ts `client`), holding only the deliveries it sends.
 */
import { Agent, request } from 'node:http';
import type { SignedRequest } from '../src/sandbox/lark-event-builder.js';
import { percentile, round, sleep } from './lib.js';

export interface PacedResult {
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  sent: number;
}

/** `url`: one server, or several taking the requests in turn (replicas behind a round-robin balancer). */
export async function paced(
  url: string | string[],
  reqs: SignedRequest[],
  rate: number,
  seconds: number,
): Promise<PacedResult> {
  const urls = (Array.isArray(url) ? url : [url]).map((x) => new URL(x));
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const total = Math.min(reqs.length, rate * seconds);
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const r = reqs[i]!;
    const u = urls[i % urls.length]!;
    inflight.push(
      new Promise<void>((resolve) => {
        const t0 = performance.now();
        const req = request(
          { agent, host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: r.headers },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - t0);
              if ((res.statusCode ?? 0) >= 300) non2xx++;
              resolve();
            });
          },
        );
        req.on('error', () => {
          errors++;
          resolve();
        });
        req.end(r.rawBody);
      }),
    );
  }
  await Promise.all(inflight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    p50: round(percentile(latencies, 50), 2),
    p99: round(percentile(latencies, 99), 2),
    non2xx,
    errors,
    sent: total,
  };
}
