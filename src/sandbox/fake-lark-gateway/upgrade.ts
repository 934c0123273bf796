import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { IssuedTicket } from './endpoint.js';

export type UpgradeCheck = { ok: true; ticket: IssuedTicket } | { ok: false; status: number; msg: string };

/** The upgrade must come to /ws/v2 with a ticket (and matching service_id) from an endpoint call. */
export function checkUpgrade(req: IncomingMessage, tickets: ReadonlyMap<string, IssuedTicket>): UpgradeCheck {
  const url = new URL(req.url ?? '/', 'ws://gateway');
  if (url.pathname !== '/ws/v2') return { ok: false, status: 404, msg: 'not found' };
  const ticket = tickets.get(url.searchParams.get('ticket') ?? '');
  if (!ticket || url.searchParams.get('service_id') !== String(ticket.serviceId)) {
    return { ok: false, status: 403, msg: 'invalid ticket' };
  }
  return { ok: true, ticket };
}

/**
 * Turns a handshake down with a plain HTTP answer. The headers are the ones the SDK names
 * (HeaderKey handshake-status / handshake-msg / handshake-autherrcode, lib/index.js:102123-102125)
 * but 1.74 never reads them: `ws` just emits 'error' ("Unexpected server response"), connect()
 * resolves false (lib/index.js:102425-102428) and the attempt counts as retryable.
 */
export function refuseUpgrade(socket: Duplex, status: number, msg: string, authErrCode?: number): void {
  const lines = [
    `HTTP/1.1 ${status} ${msg}`,
    `handshake-status: ${status}`,
    `handshake-msg: ${msg}`,
    ...(authErrCode === undefined ? [] : [`handshake-autherrcode: ${authErrCode}`]),
    'Connection: close',
    'Content-Length: 0',
    '',
    '',
  ];
  socket.end(lines.join('\r\n'), () => socket.destroy());
}
