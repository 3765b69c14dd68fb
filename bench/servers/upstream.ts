// The upstream of the bench, standing in for the weather service: node:http, keep-alive, a fixed ~1 KB JSON body.
import { createServer } from 'node:http';

const port = Number(process.argv[2]);

/** About 1 KB of JSON, shaped like a current-weather answer; made once, so the upstream does no work per call. */
function weatherBody(): Buffer {
  const hours = Array.from({ length: 12 }, (_, i) => ({ hour: i, temperatureC: 11 + (i % 5), precipitationMm: (i % 3) * 0.2, windKph: 9 + i }));
  const body = { city: 'Berlin', country: 'DE', observedAt: '2026-11-23T12:00:00Z', temperatureC: 12.5, feelsLikeC: 10.9, humidity: 71, pressureHpa: 1016, conditions: 'light rain', hourly: hours };
  return Buffer.from(JSON.stringify(body));
}

const body = weatherBody();
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

const server = createServer(function weatherHandler(request, response) {
  // Drain any request body, then answer; keep-alive is node:http's default.
  request.resume();
  response.writeHead(200, headers);
  response.end(body);
});
// Idle keep-alive connections of the proxies under test stay open between runs.
server.keepAliveTimeout = 120_000;
server.headersTimeout = 125_000;
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
