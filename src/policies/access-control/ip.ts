// IPv4 and IPv6 addresses and CIDR blocks as four 32-bit words, parsed without allocating, for per-call matching.
//
// IPv4 addresses are held as IPv4-mapped IPv6 addresses (RFC 4291 §2.5.5.2, ::ffff:a.b.c.d), so `10.0.0.0/8` also
// matches a dual-stack socket's `::ffff:10.1.2.3`, and one comparison serves both families.

/** An address or network: four big-endian 32-bit words of the 128-bit IPv6 form. */
export type Words = Uint32Array;

const MAPPED_PREFIX = 0xffff;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/** Dotted-quad IPv4 in text[start, end): four decimal parts 0-255 without leading zeros (they read as octal elsewhere). */
function parseIpv4(text: string, start: number, end: number): number {
  let value = 0;
  let parts = 0;
  let i = start;
  while (parts < 4) {
    const first = i;
    let part = 0;
    while (i < end && isDigit(text.charCodeAt(i))) {
      part = part * 10 + (text.charCodeAt(i) - 48);
      i++;
      if (i - first > 3) return -1;
    }
    const digits = i - first;
    if (digits === 0 || part > 255 || (digits > 1 && text.charCodeAt(first) === 48)) return -1;
    value = value * 256 + part;
    parts++;
    if (parts < 4) {
      if (i >= end || text.charCodeAt(i) !== 46) return -1;
      i++;
    }
  }
  return i === end ? value : -1;
}

const groups = new Uint16Array(8);

/** IPv6 in text[start, end), with `::` and an optional dotted IPv4 tail (RFC 4291 §2.2). */
function parseIpv6(text: string, start: number, end: number, out: Words): boolean {
  let count = 0;
  let gap = -1;
  let i = start;
  if (end - start >= 2 && text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58) {
    gap = 0;
    i += 2;
  }
  while (i < end) {
    let value = 0;
    let j = i;
    while (j < end) {
      const hex = hexValue(text.charCodeAt(j));
      if (hex < 0) break;
      value = value * 16 + hex;
      j++;
    }
    if (j < end && text.charCodeAt(j) === 46) {
      // The last 32 bits written as IPv4.
      if (count > 6) return false;
      const v4 = parseIpv4(text, i, end);
      if (v4 < 0) return false;
      groups[count++] = Math.floor(v4 / 65536);
      groups[count++] = v4 % 65536;
      i = end;
      break;
    }
    const digits = j - i;
    if (digits === 0 || digits > 4 || count === 8) return false;
    groups[count++] = value;
    if (j === end) {
      i = end;
      break;
    }
    if (text.charCodeAt(j) !== 58) return false;
    j++;
    if (j < end && text.charCodeAt(j) === 58) {
      if (gap !== -1) return false;
      gap = count;
      j++;
    } else if (j === end) {
      return false; // a trailing single colon
    }
    i = j;
  }
  if (gap === -1 ? count !== 8 : count > 7) return false;
  // Expand `::`: the groups after the gap move to the end, zeros fill the middle.
  const tail = gap === -1 ? 0 : count - gap;
  for (let k = 0; k < tail; k++) groups[7 - k] = groups[count - 1 - k] as number;
  if (gap !== -1) for (let k = gap; k < 8 - tail; k++) groups[k] = 0;
  for (let w = 0; w < 4; w++) out[w] = ((groups[2 * w] as number) * 65536 + (groups[2 * w + 1] as number)) >>> 0;
  return true;
}

/**
 * Parses an address into `out` (four words) and returns its family, or 0 when the text is not an address.
 * Accepts an IPv6 zone (`fe80::1%eth0`, ignored) but no brackets or port: callers strip those.
 */
export function parseAddress(text: string, out: Words, start = 0, end = text.length): 0 | 4 | 6 {
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 58) {
      const zone = text.indexOf('%', start);
      return parseIpv6(text, start, zone !== -1 && zone < end ? zone : end, out) ? 6 : 0;
    }
    if (code === 46) break;
  }
  const v4 = parseIpv4(text, start, end);
  if (v4 < 0) return 0;
  out[0] = 0;
  out[1] = 0;
  out[2] = MAPPED_PREFIX;
  out[3] = v4 >>> 0;
  return 4;
}

/** A CIDR block: the network's words (host bits cleared) and its mask's. */
export interface Network {
  readonly text: string;
  readonly network: Words;
  readonly mask: Words;
}

/** `10.0.0.0/8`, `2001:db8::/32`, or a single address (a /32 or /128); undefined when it is not one. */
export function parseNetwork(text: string): Network | undefined {
  const slash = text.indexOf('/');
  const network = new Uint32Array(4);
  const family = parseAddress(text, network, 0, slash === -1 ? text.length : slash);
  if (family === 0 || text.includes('%')) return undefined;
  const bits = family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(digits) || Number(digits) > bits) return undefined;
    prefix = Number(digits);
  }
  // IPv4 blocks sit inside ::ffff:0:0/96.
  if (family === 4) prefix += 96;
  const mask = new Uint32Array(4);
  for (let w = 0; w < 4; w++) {
    const wordBits = Math.min(32, Math.max(0, prefix - 32 * w));
    mask[w] = wordBits === 0 ? 0 : (0xffffffff << (32 - wordBits)) >>> 0;
    network[w] = ((network[w] as number) & (mask[w] as number)) >>> 0;
  }
  return { text, network, mask };
}

export function contains(block: Network, address: Words): boolean {
  for (let w = 0; w < 4; w++) {
    if ((((address[w] as number) & (block.mask[w] as number)) >>> 0) !== block.network[w]) return false;
  }
  return true;
}
