import type { IncomingMessage, ServerResponse } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/**
 * The built web app, as the real server serves it: files under `root` (no dot
 * files, nothing outside it), HTML never cached, and index.html for any other
 * path a browser asks for as a page (deep links such as /replay).
 */
export class StaticFiles {
  private readonly root: string;
  readonly index: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.index = join(this.root, 'index.html');
  }

  get available(): boolean {
    return existsSync(this.index);
  }

  /** Answers and returns true, or returns false when it has nothing for this path. */
  serve(request: IncomingMessage, response: ServerResponse, pathname: string): boolean {
    if (!this.available) return false;
    const file = this.fileFor(pathname);
    if (file) {
      this.send(response, file);
      return true;
    }
    if (!(request.headers.accept ?? '').includes('text/html')) return false;
    this.send(response, this.index);
    return true;
  }

  private fileFor(pathname: string): string | undefined {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return undefined;
    }
    if (decoded.includes('\0') || decoded.split('/').some((part) => part.startsWith('.'))) return undefined;
    const file = resolve(this.root, `.${decoded}`);
    if (!file.startsWith(this.root + sep)) return undefined;
    try {
      return statSync(file).isFile() ? file : undefined;
    } catch {
      return undefined;
    }
  }

  private send(response: ServerResponse, file: string): void {
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, {
      'Content-Type': type,
      'Content-Length': statSync(file).size,
      'Cache-Control': type.startsWith('text/html') ? 'no-cache' : 'public, max-age=3600',
    });
    createReadStream(file).pipe(response);
  }
}
