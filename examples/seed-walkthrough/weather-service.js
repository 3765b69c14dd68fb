// A small stand-in for OpenWeather's current-weather API, so the seed walkthrough runs with no account and no
// network. Run it with `node examples/seed-walkthrough/weather-service.js` (port 9000, or PORT=…).
//
//   GET /data/2.5/weather?q=Berlin  ->  200 {"name":"Berlin","main":{"temp":…},"weather":[…]}
//   anything else                   ->  404
import { createServer } from 'node:http';

const CITIES = {
  berlin: { temp: 11.2, description: 'light rain' },
  walldorf: { temp: 13.5, description: 'scattered clouds' },
  london: { temp: 9.8, description: 'overcast clouds' },
};

/** Starts the service; resolves with its URL and a close function. */
export function startWeatherService(port = 9000, host = '127.0.0.1') {
  const server = createServer(function weather(request, response) {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const send = (status, body) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      response.end(text);
    };
    request.resume();
    if (url.pathname !== '/data/2.5/weather') return send(404, { cod: '404', message: `no such endpoint: ${url.pathname}` });
    const city = (url.searchParams.get('q') ?? 'Walldorf').split(',')[0].trim();
    const found = CITIES[city.toLowerCase()];
    if (!found) return send(404, { cod: '404', message: 'city not found' });
    send(200, {
      name: city.charAt(0).toUpperCase() + city.slice(1).toLowerCase(),
      main: { temp: found.temp, humidity: 70 },
      weather: [{ main: found.description.split(' ').pop(), description: found.description }],
      // What the gateway added on the way, so the walkthrough can show it.
      forwarded: { for: request.headers['x-forwarded-for'] ?? null, host: request.headers['x-forwarded-host'] ?? null },
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ url: `http://${host}:${address.port}`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await startWeatherService(Number(process.env.PORT ?? 9000));
  process.stdout.write(`Weather service listening on ${url} (try ${url}/data/2.5/weather?q=Berlin)\n`);
}
