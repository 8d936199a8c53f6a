import { readFileSync } from 'node:fs';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/access.decorator';
import { ConsoleViews } from './console-views';

// htmx from its npm package (one major version pinned in package.json), served from here: nothing loads from elsewhere.
const HTMX = readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8');

/** The console's own script, stylesheet and htmx. Public: they carry no data. */
@ApiExcludeController()
@Controller('assets')
export class ConsoleAssetsController {
  constructor(private readonly views: ConsoleViews) {}

  @Public()
  @Get('htmx.min.js')
  htmx(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=86400');
    response.type('application/javascript').send(HTMX);
  }

  @Public()
  @Get('console.js')
  script(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.type('application/javascript').send(this.views.script);
  }

  @Public()
  @Get('console.css')
  stylesheet(@Res() response: Response) {
    response.setHeader('Cache-Control', 'public, max-age=3600');
    response.type('text/css').send(this.views.stylesheet);
  }
}
