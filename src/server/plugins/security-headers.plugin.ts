/**
 * Browser protections on every response, from @fastify/helmet: a Content-Security-
 * Policy that only lets the app's own scripts run and no other site frame it,
 * `nosniff`, and a referrer policy that tells other sites nothing.
 */
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/**
 * The web app is built by Vite into external scripts and styles; nothing inline runs.
 * Styles may be inline because React's `style` props and ECharts' tooltips set them;
 * `data:` images are the favicon and the API docs' logo. No `upgrade-insecure-requests`:
 * village networks serve the app over plain HTTP, where upgrading would break it.
 */
export const APP_CSP_DIRECTIVES = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
};

/** What a stored image is served with: it can be shown as an image, never run as a page. */
export const IMAGE_CSP = "default-src 'none'; sandbox";

export async function registerSecurityHeaders(app: FastifyInstance, config: Config) {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: APP_CSP_DIRECTIVES },
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    // HSTS only where the server is known to sit behind HTTPS; on a plain-HTTP LAN it means nothing.
    strictTransportSecurity: config.secureCookies ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
}
