import { type Job, type JobState, noJobCounts } from '../records.js';
import { type Db, limitParam } from './db.js';
import { IN_FLIGHT, JOB, JOB_COUNTS, JOB_IMAGES, JOBS_IN, JOBS_OF_USER, QUEUE_POSITION } from './sql/jobs.js';

type DataRow = { data: Job };
const records = (rows: DataRow[]): Job[] => rows.map((r) => r.data);

export async function job(db: Db, id: string): Promise<Job | undefined> {
  return (await db.query<DataRow>(JOB, [id])).rows[0]?.data;
}

export async function jobsOfUser(db: Db, user: string, limit: number): Promise<Job[]> {
  return records((await db.query<DataRow>(JOBS_OF_USER, [user, limitParam(limit)])).rows);
}

export async function jobsIn(db: Db, states: readonly JobState[]): Promise<Job[]> {
  return records((await db.query<DataRow>(JOBS_IN, [[...states]])).rows);
}

export async function queuePosition(db: Db, id: string): Promise<number> {
  return (await db.query<{ position: number }>(QUEUE_POSITION, [id])).rows[0]?.position ?? 0;
}

/** Fresh copies: nothing handed out shares memory with the driver's buffers. */
export async function jobImages(db: Db, id: string): Promise<Uint8Array[]> {
  return (await db.query<{ bytes: Buffer }>(JOB_IMAGES, [id])).rows.map((r) => new Uint8Array(r.bytes));
}

export async function inFlight(db: Db, user: string): Promise<number> {
  return (await db.query<{ n: number }>(IN_FLIGHT, [user])).rows[0]!.n;
}

export async function jobCounts(db: Db): Promise<Record<JobState, number>> {
  const counts = noJobCounts();
  for (const r of (await db.query<{ state: JobState; n: number }>(JOB_COUNTS)).rows) counts[r.state] = r.n;
  return counts;
}
