// Request ids of gateway calls: a random prefix per process and a counter. Unique across processes and restarts
// (48 random bits each), unguessable enough for what they are (a handle for logs and support, never a credential),
// and far cheaper than a UUID per call, which was among the largest allocations of a proxied call (bench --heap-prof).
import { randomBytes } from 'node:crypto';

const PREFIX = randomBytes(6).toString('hex');
let counter = 0;

export function nextRequestId(): string {
  counter = counter === Number.MAX_SAFE_INTEGER ? 1 : counter + 1;
  return `${PREFIX}-${counter.toString(36)}`;
}
