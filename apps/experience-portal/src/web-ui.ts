import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { answerProblem } from '@revgate/platform';
import type { PortalConfig } from './portal.config';
import { PortalErrorCode } from './portal-error-code';

/** The built web UI: PORTAL_WEB_DIR, `web/` beside the app's build, or the repository's build. */
export function webUiDir(config: PortalConfig): string | undefined {
  const candidates = config.PORTAL_WEB_DIR
    ? [resolve(config.PORTAL_WEB_DIR)]
    : [join(__dirname, 'web'), resolve('dist', 'apps', 'experience-portal', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** What the browser may load: this origin only (charts set inline styles). */
const CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Serves the single-page web UI at `/` (its files, with a strict content security policy). The
 * UI routes in the URL's fragment, so no fallback route is needed. Without a build, `/` answers
 * 503 PORTAL_WEB_UI_NOT_BUILT and the API works as before.
 */
export async function serveWebUi(app: NestFastifyApplication, config: PortalConfig): Promise<void> {
  const root = webUiDir(config);
  if (!root) {
    app
      .getHttpAdapter()
      .getInstance()
      .get('/', (request, reply) => {
        answerProblem(
          request,
          reply,
          503,
          PortalErrorCode.WEB_UI_NOT_BUILT,
          'The web UI is not built: run npm run build (or set PORTAL_WEB_DIR).',
        );
      });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    setHeaders: (res, path) => {
      res.header('content-security-policy', CSP);
      res.header('x-content-type-options', 'nosniff');
      res.header('referrer-policy', 'no-referrer');
      // Hashed asset names never change; the page itself is always asked again.
      res.header(
        'cache-control',
        path.includes(join('assets', '')) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
