// The walkthrough's Postman collection, run by newman against a started Gatehouse with the walkthrough's file
// applied: what a user does with Postman, checked on every run.
import { readFileSync } from 'node:fs';
import newman from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeatherService } from '../../examples/seed-walkthrough/weather-service.js';
import { applyFile, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

const DIR = 'examples/seed-walkthrough';
const CLIENT_ID = 'weather-app-client';
const CLIENT_SECRET = 'walkthrough-secret-0123456789';

let gh: Gatehouse;
let weather: { url: string; close(): Promise<void> };

beforeAll(async () => {
  weather = await startWeatherService(0);
  gh = await startGatehouse();
  const file = readFileSync(`${DIR}/gatehouse.yaml`, 'utf8');
  await applyFile(gh, file, { WEATHER_URL: weather.url, WEATHER_CLIENT_ID: CLIENT_ID, WEATHER_CLIENT_SECRET: CLIENT_SECRET });
});
afterAll(async () => {
  await gh?.close();
  await weather?.close();
});

function runCollection(): Promise<newman.NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection: JSON.parse(readFileSync(`${DIR}/weather.postman_collection.json`, 'utf8')),
        envVar: [
          { key: 'baseUrl', value: gh.gateway },
          { key: 'clientId', value: CLIENT_ID },
          { key: 'clientSecret', value: CLIENT_SECRET },
        ],
        reporters: [],
      },
      (error, summary) => (error ? reject(error) : resolve(summary)),
    );
  });
}

describe('the walkthrough with Postman (newman)', () => {
  it('gets a token in the pre-request script, calls the weather API, and is refused without a token', async () => {
    const summary = await runCollection();
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.assertions.total).toBe(3);
    expect(summary.run.stats.requests.total).toBe(4); // three requests and the script's token request
  });
});
