// A minimal HTTP/1.1 response reader for the fixed-rate generator: it finds where each response ends and reports its
// status, nothing more (no header objects, no body copies). It knows the framings a proxy answers with:
// Content-Length, chunked (trailers skipped), no body (1xx interim, 204, 304), and a body delimited by the end of the
// connection. Bytes may arrive split anywhere or several responses in one chunk; the chunk handed to `push` may be
// overwritten after the call (a socket's reused read buffer), so anything kept across calls is copied.

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
/** A head (or a chunk-size or trailer line) longer than this is not an answer from the servers measured here. */
const MAX_LINE = 64 * 1024;

const CONTENT_LENGTH = Buffer.from('content-length:');
const TRANSFER_ENCODING = Buffer.from('transfer-encoding:');
const CONNECTION = Buffer.from('connection:');
const CHUNKED = Buffer.from('chunked');
const CLOSE = Buffer.from('close');

const STATE = { head: 0, body: 1, chunkSize: 2, chunkData: 3, chunkEnd: 4, trailer: 5, untilClose: 6 } as const;
type State = (typeof STATE)[keyof typeof STATE];

/** Called once per final response: its status, and whether the connection stays open for the next request. */
export type OnResponse = (status: number, keepAlive: boolean) => void;

export class HttpFramingError extends Error {}

/** Whether buf[at...] starts with `lower` (lowercase ASCII letters, digits, '-' and ':'), ignoring case. */
function startsWithIgnoringCase(buf: Buffer, at: number, end: number, lower: Buffer): boolean {
  if (end - at < lower.length) return false;
  // OR-ing 0x20 lowercases a letter and leaves digits, '-' and ':' as they are.
  for (let k = 0; k < lower.length; k++) if (((buf[at + k] as number) | 0x20) !== lower[k]) return false;
  return true;
}

/** Whether buf[from, to) contains `lower` (lowercase ASCII letters), ignoring case. */
function containsIgnoringCase(buf: Buffer, from: number, to: number, lower: Buffer): boolean {
  for (let at = from; at <= to - lower.length; at++) if (startsWithIgnoringCase(buf, at, to, lower)) return true;
  return false;
}

function parseDecimal(buf: Buffer, from: number, to: number): number {
  let at = from;
  while (at < to && (buf[at] === 0x20 || buf[at] === 0x09)) at++;
  let value = 0;
  let digits = 0;
  for (; at < to; at++, digits++) {
    const c = buf[at] as number;
    if (c < 0x30 || c > 0x39) break;
    value = value * 10 + (c - 0x30);
  }
  while (at < to && (buf[at] === 0x20 || buf[at] === 0x09)) at++;
  if (digits === 0 || at !== to) throw new HttpFramingError(`Bad Content-Length: ${buf.toString('latin1', from, to)}`);
  return value;
}

function parseChunkSize(buf: Buffer, from: number, to: number): number {
  let value = 0;
  let at = from;
  for (; at < to; at++) {
    const c = (buf[at] as number) | 0x20;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1;
    if (digit < 0) break;
    value = value * 16 + digit;
  }
  // After the digits only whitespace or a chunk extension (`;name=value`) may follow.
  if (at === from || (at < to && buf[at] !== 0x3b && buf[at] !== 0x20 && buf[at] !== 0x09)) throw new HttpFramingError(`Bad chunk size: ${buf.toString('latin1', from, to)}`);
  return value;
}

export class ResponseReader {
  private readonly onResponse: OnResponse;
  private state: State = STATE.head;
  /** The start of a head or line that did not fit in the chunks read so far (a copy). */
  private pending: Buffer | undefined;
  /** Where the last token found by `until` lies: in the chunk pushed, or in a buffer joined with `pending`. */
  private tokenBuf: Buffer = CRLF;
  private tokenStart = 0;
  private tokenEnd = 0;
  private status = 0;
  private keepAlive = true;
  /** Body bytes left (Content-Length), or bytes left of the current chunk and its CRLF. */
  private remaining = 0;

  constructor(onResponse: OnResponse) {
    this.onResponse = onResponse;
  }

  /** Reads the bytes of `data`; throws HttpFramingError on what is not an HTTP/1.1 response. */
  push(data: Buffer): void {
    let at = 0;
    const end = data.length;
    while (at < end) {
      switch (this.state) {
        case STATE.head: {
          const next = this.until(data, at, HEAD_END);
          if (next < 0) return;
          at = next;
          this.readHead(this.tokenBuf, this.tokenStart, this.tokenEnd);
          break;
        }
        case STATE.body:
        case STATE.chunkData:
        case STATE.chunkEnd: {
          const take = Math.min(this.remaining, end - at);
          this.remaining -= take;
          at += take;
          if (this.remaining > 0) return;
          if (this.state === STATE.body) this.complete();
          else if (this.state === STATE.chunkData) {
            this.state = STATE.chunkEnd;
            this.remaining = CRLF.length;
          } else this.state = STATE.chunkSize;
          break;
        }
        case STATE.chunkSize: {
          const next = this.until(data, at, CRLF);
          if (next < 0) return;
          at = next;
          const size = parseChunkSize(this.tokenBuf, this.tokenStart, this.tokenEnd);
          this.state = size === 0 ? STATE.trailer : STATE.chunkData;
          this.remaining = size;
          break;
        }
        case STATE.trailer: {
          const next = this.until(data, at, CRLF);
          if (next < 0) return;
          at = next;
          if (this.tokenEnd === this.tokenStart) this.complete();
          break;
        }
        case STATE.untilClose:
          return;
      }
    }
  }

  /** The connection ended: completes a body that its end delimits (any other response in progress is cut short). */
  end(): void {
    if (this.state === STATE.untilClose) this.complete();
  }

  /**
   * Finds `delimiter` in what is pending plus data[at...]: returns the index in `data` just past it, with the token
   * before it in tokenBuf[tokenStart, tokenEnd); or -1 when it has not arrived yet (the rest is kept).
   */
  private until(data: Buffer, at: number, delimiter: Buffer): number {
    if (this.pending === undefined) {
      const found = data.indexOf(delimiter, at);
      if (found >= 0) {
        this.tokenBuf = data;
        this.tokenStart = at;
        this.tokenEnd = found;
        return found + delimiter.length;
      }
      this.keep(Buffer.from(data.subarray(at)));
      return -1;
    }
    const before = this.pending.length;
    const joined = Buffer.concat([this.pending, data.subarray(at)]);
    const found = joined.indexOf(delimiter, Math.max(0, before - delimiter.length + 1));
    if (found < 0) {
      this.keep(joined);
      return -1;
    }
    this.pending = undefined;
    this.tokenBuf = joined;
    this.tokenStart = 0;
    this.tokenEnd = found;
    return at + found + delimiter.length - before;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length > MAX_LINE) throw new HttpFramingError(`No end of line in ${bytes.length} bytes.`);
    this.pending = bytes;
  }

  /** Reads a status line and header lines (buf[start, end), without the blank line) and picks the body's framing. */
  private readHead(buf: Buffer, start: number, end: number): void {
    // "HTTP/1.1 200 OK": the status is the three digits after "HTTP/1.x ".
    if (end - start < 12 || buf.toString('latin1', start, start + 7) !== 'HTTP/1.' || buf[start + 8] !== 0x20) throw new HttpFramingError(`Not an HTTP/1.x response: ${buf.toString('latin1', start, Math.min(end, start + 40))}`);
    const status = parseDecimal(buf, start + 9, start + 12);
    let contentLength = -1;
    let chunked = false;
    let keepAlive = true;
    let line = buf.indexOf(CRLF, start);
    while (line >= 0 && line < end) {
      const from = line + CRLF.length;
      const next = buf.indexOf(CRLF, from);
      const to = next < 0 || next > end ? end : next;
      if (startsWithIgnoringCase(buf, from, to, CONTENT_LENGTH)) contentLength = parseDecimal(buf, from + CONTENT_LENGTH.length, to);
      else if (startsWithIgnoringCase(buf, from, to, TRANSFER_ENCODING)) chunked = containsIgnoringCase(buf, from + TRANSFER_ENCODING.length, to, CHUNKED);
      else if (startsWithIgnoringCase(buf, from, to, CONNECTION)) keepAlive = !containsIgnoringCase(buf, from + CONNECTION.length, to, CLOSE);
      line = to === end ? -1 : to;
    }
    this.status = status;
    this.keepAlive = keepAlive;
    if (status < 200) return; // an interim response: the final one follows
    if (status === 204 || status === 304 || (contentLength === 0 && !chunked)) this.complete();
    else if (chunked) this.state = STATE.chunkSize;
    else if (contentLength > 0) {
      this.state = STATE.body;
      this.remaining = contentLength;
    } else {
      this.state = STATE.untilClose;
      this.keepAlive = false;
    }
  }

  private complete(): void {
    this.state = STATE.head;
    this.onResponse(this.status, this.keepAlive);
  }
}
