// The app's Postman collection: variables, the token script, one request per API, and no secret unless given.
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectionFileName, POSTMAN_SCHEMA, postmanCollection, TOKEN_REQUEST_NAME, type CollectionInput } from './postman.ts';

const input: CollectionInput = {
  app: { name: 'weather-app', displayName: 'Weather app' },
  clientId: 'client-0123456789',
  gatewayUrl: 'https://api.example.com/',
  tokenUrl: 'https://api.example.com/oauth/token',
  apis: [
    { name: 'weather', displayName: 'Weather', description: 'Current weather by city.', basePath: '/weather' },
    { name: 'root', basePath: '/' },
  ],
};
const variables = (c: ReturnType<typeof postmanCollection>) => Object.fromEntries(c.variable.map((v) => [v.key, v.value]));

describe('the Postman collection of an app', () => {
  it('is a v2.1 collection named after the app, with the gateway, token URL and client id as variables', () => {
    const collection = postmanCollection(input);
    expect(collection.info.schema).toBe(POSTMAN_SCHEMA);
    expect(collection.info.name).toBe('Weather app (Gatehouse)');
    expect(variables(collection)).toMatchObject({ baseUrl: 'https://api.example.com', tokenUrl: 'https://api.example.com/oauth/token', clientId: 'client-0123456789', access_token: '' });
  });

  it('leaves the client secret empty, saying why, unless it is given', () => {
    const empty = postmanCollection(input);
    const secret = empty.variable.find((v) => v.key === 'clientSecret');
    expect(secret?.value).toBe('');
    expect(secret?.description).toMatch(/never stores it in clear/);
    expect(empty.info.description).toMatch(/set the collection variable clientSecret/);
    expect(variables(postmanCollection({ ...input, clientSecret: 's3cret-s3cret-s3cret' })).clientSecret).toBe('s3cret-s3cret-s3cret');
  });

  it('sends {{access_token}} as a bearer token, fetched by a collection-level pre-request script that parses', () => {
    const collection = postmanCollection(input);
    expect(collection.auth).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{access_token}}', type: 'string' }] });
    const script = collection.event.find((e) => e.listen === 'prerequest')?.script.exec.join('\n') ?? '';
    expect(script).toContain("pm.variables.get('tokenUrl')");
    expect(script).toContain("pm.collectionVariables.set('access_token'");
    expect(() => new Script(`(function () {\n${script}\n})`)).not.toThrow();
  });

  it('has the token request first, then a GET on the base path of each API', () => {
    const items = postmanCollection(input).item as Array<{ name: string; request: { method: string; url: { raw: string; path?: string[] } } }>;
    expect(items.map((i) => [i.name, i.request.method, i.request.url.raw])).toEqual([
      [TOKEN_REQUEST_NAME, 'POST', '{{tokenUrl}}'],
      ['Weather: GET /weather', 'GET', '{{baseUrl}}/weather'],
      ['root: GET /', 'GET', '{{baseUrl}}'],
    ]);
    expect(items[1]?.request.url.path).toEqual(['weather']);
  });

  it('has no token request, and says so, when the products have no token endpoint', () => {
    const collection = postmanCollection({ ...input, tokenUrl: null });
    expect((collection.item as Array<{ name: string }>).map((i) => i.name)).not.toContain(TOKEN_REQUEST_NAME);
    expect(collection.info.description).toMatch(/has a token endpoint yet/);
  });

  it('is downloaded under a file name made safe for headers', () => {
    expect(collectionFileName('weather-app')).toBe('weather-app.postman_collection.json');
    expect(collectionFileName('a"b;c')).toBe('a_b_c.postman_collection.json');
  });
});
