// One keep-alive HTTP/1.1 connection of the fixed-rate generator, on a raw node:net socket: it writes request bytes
// built beforehand and reads the answers with a ResponseReader straight out of one read buffer that all connections
// share (socket `onread`: no Buffer is allocated per read). When its socket closes it opens another, until it is
// closed itself.
import { connect, type Socket } from 'node:net';
import { ResponseReader } from './http-response-reader.ts';

export interface ConnectionEvents {
  /** The connection is open and free for a request. */
  open(id: number): void;
  response(id: number, status: number, keepAlive: boolean): void;
  /** The socket closed or broke (a request on it is lost); another is being opened. */
  lost(id: number): void;
}

/** Each read is handled before the next one can land, so one buffer serves every connection. */
const readBuffer = Buffer.allocUnsafe(64 * 1024);
const RECONNECT_DELAY_MS = 10;

export class HttpConnection {
  private readonly id: number;
  private readonly host: string;
  private readonly port: number;
  private readonly events: ConnectionEvents;
  private socket: Socket | undefined;
  private closed = false;

  constructor(id: number, host: string, port: number, events: ConnectionEvents) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.events = events;
  }

  /** Opens a socket; resolves once it is connected, rejects when this attempt fails (it is retried all the same). */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const reader = new ResponseReader((status, keepAlive) => {
        this.events.response(this.id, status, keepAlive);
        if (!keepAlive) socket.destroy();
      });
      const socket = connect({
        host: this.host,
        port: this.port,
        noDelay: true,
        onread: {
          buffer: readBuffer,
          callback: function readResponses(bytes) {
            try {
              reader.push(readBuffer.subarray(0, bytes));
            } catch {
              socket.destroy();
            }
            return true;
          },
        },
      });
      this.socket = socket;
      socket.once('connect', () => {
        resolve();
        this.events.open(this.id);
      });
      socket.once('end', () => reader.end());
      socket.on('error', reject);
      socket.once('close', () => {
        if (this.closed) return;
        this.events.lost(this.id);
        setTimeout(() => {
          if (!this.closed) this.open().catch(() => undefined);
        }, RECONNECT_DELAY_MS);
      });
    });
  }

  write(bytes: Buffer): void {
    this.socket?.write(bytes);
  }

  close(): void {
    this.closed = true;
    this.socket?.destroy();
  }
}
