// Serves one built web app (the admin console or the developer hub) from dist/web/<app>: hashed assets cached for
// good, index.html for every other GET outside the JSON API, so the app's own router handles deep links.
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GatehouseError } from '../errors.ts';

export interface WebAppOptions {
  /** The built app's folder (holds index.html and assets/). */
  root: string;
  /** For messages: "admin console" or "developer hub". */
  title: string;
  /** Where the JSON API lives on this port; a miss under it is a JSON 404, not the app. */
  apiPrefix: string;
}

/**
 * Mantine sets inline style attributes, hence 'unsafe-inline' for styles only; scripts come from this origin alone,
 * and no other site may frame the app (clickjacking).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY');
}

function notBuiltPage(title: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Gatehouse ${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>The ${title} has not been built</h1>
<p>This Gatehouse runs from a checkout whose web apps are not built yet. Run <code>npm run build</code> (or
<code>npm run build:web</code>) and reload this page. The JSON API works meanwhile.</p></body></html>`;
}

export function webAppRoutes(options: WebAppOptions): FastifyPluginAsync {
  return async function registerWebApp(app) {
    await app.register(fastifyStatic, { root: options.root, serve: false, decorateReply: true });
    const built = () => existsSync(join(options.root, 'index.html'));

    const sendIndex = (reply: FastifyReply) => {
      securityHeaders(reply).header('cache-control', 'no-cache');
      if (!built()) return reply.code(503).type('text/html; charset=utf-8').send(notBuiltPage(options.title));
      return reply.sendFile('index.html', { cacheControl: false });
    };

    app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async function webAppIndex(_request, reply) {
      return sendIndex(reply);
    });

    app.get('/*', { config: { access: 'public' }, schema: { hide: true } }, async function webAppPage(request, reply) {
      const path = request.url.split('?')[0] ?? '/';
      if (path === options.apiPrefix || path.startsWith(`${options.apiPrefix}/`)) {
        throw new GatehouseError('request.not_found', `No route GET ${path}. See ${options.apiPrefix}/openapi.json for the routes there are.`);
      }
      if (path.startsWith('/assets/')) {
        // Vite names assets by their content hash, so they never change under the same name.
        securityHeaders(reply);
        return reply.sendFile(path.slice(1), { immutable: true, maxAge: '365d', cacheControl: true });
      }
      return sendIndex(reply);
    });
  };
}

/** dist/web/<app>, from src/ (tests, tsx) and from dist/ (npm start) alike. */
export function builtWebApp(app: 'console' | 'hub'): string {
  return fileURLToPath(new URL(`../../dist/web/${app}/`, import.meta.url));
}
