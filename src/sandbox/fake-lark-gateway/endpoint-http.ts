import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type AnswerEndpointInput,
  answerEndpoint,
  type EndpointCall,
  type IssuedTicket,
} from './endpoint.js';

export interface ServedEndpoint {
  /** Undefined when the request was not POST /callback/ws/endpoint (answered 404). */
  call?: EndpointCall;
  issued?: IssuedTicket;
}

/** HTTP plumbing around answerEndpoint: reads the body, answers JSON, reports what was asked. */
export async function serveEndpoint(
  req: IncomingMessage,
  res: ServerResponse,
  input: Omit<AnswerEndpointInput, 'rawBody'>,
): Promise<ServedEndpoint> {
  if (req.method !== 'POST' || req.url?.split('?')[0] !== '/callback/ws/endpoint') {
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"code":404,"msg":"not found"}');
    return {};
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const rawBody = Buffer.concat(chunks).toString('utf8');
  const answer = answerEndpoint({ ...input, rawBody });
  let body: unknown = rawBody;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // recorded as text
  }
  const call: EndpointCall = { at: Date.now(), body, outcome: answer.outcome };
  if (typeof req.headers.locale === 'string') call.locale = req.headers.locale;
  if (req.headers['user-agent']) call.userAgent = req.headers['user-agent'];
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(answer.body));
  return answer.issued ? { call, issued: answer.issued } : { call };
}
