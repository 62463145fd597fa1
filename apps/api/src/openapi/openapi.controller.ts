import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { dirname } from 'node:path';
import send from 'send';
import { Public } from '../auth/public.decorator';
import { openApiDocument } from './document';

/** The swagger-ui-dist files the reference page loads (nothing else from that folder is served). */
const ASSETS = new Set([
  'swagger-ui.css',
  'index.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

/** No inline script (the CSP allows none): the page loads this file, which starts Swagger UI on the document. */
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    validatorUrl: 'none',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Vigil API reference</title>
    <link rel="stylesheet" href="/api/docs/swagger-ui.css">
    <link rel="stylesheet" href="/api/docs/index.css">
    <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/api/docs/swagger-ui-bundle.js"></script>
    <script src="/api/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/api/docs/vigil-init.js"></script>
  </body>
</html>
`;

let assetRoot: string | undefined;
function swaggerUiRoot(): string {
  assetRoot ??= dirname(require.resolve('swagger-ui-dist/package.json'));
  return assetRoot;
}

/**
 * GET /api/openapi.json (the OpenAPI 3.1 document generated from libs/shared's zod
 * schemas) and GET /api/docs, an interactive reference (Swagger UI from the
 * swagger-ui-dist package, served from this origin, no inline script).
 */
@Public()
@Controller('api')
export class OpenApiController {
  @Get('openapi.json')
  document(): unknown {
    return openApiDocument();
  }

  @Get('docs')
  page(@Res() response: Response): void {
    response.type('html').setHeader('Cache-Control', 'no-cache');
    response.send(PAGE);
  }

  @Get('docs/:file')
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response): void {
    if (file === 'vigil-init.js') {
      response.type('application/javascript').setHeader('Cache-Control', 'no-cache');
      response.send(INIT_SCRIPT);
      return;
    }
    if (!ASSETS.has(file)) throw new NotFoundException({ message: `no such file: ${file}` });
    send(request, file, { root: swaggerUiRoot(), maxAge: '1h' }).pipe(response);
  }
}
