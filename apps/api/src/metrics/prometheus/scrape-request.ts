import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface ScrapeRequestOptions {
  url: string;
  timeoutMs: number;
  headers: Record<string, string>;
  /** PEM bundle to trust instead of the system's. */
  ca?: string;
  /** Accept any certificate (named as what it does: nothing is verified). */
  insecureSkipVerify?: boolean;
  /** Larger bodies are refused, not truncated. */
  maxBytes: number;
}

/** One GET of a metrics endpoint over node:http(s) (TLS options per target); resolves to the body text. */
export function scrapeRequest(options: ScrapeRequestOptions): Promise<string> {
  const url = new URL(options.url);
  const tls = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage): void => {
      if ((response.statusCode ?? 0) < 200 || (response.statusCode ?? 0) >= 300) {
        response.resume();
        reject(new Error(`${url.origin}${url.pathname} answered ${response.statusCode}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          response.destroy(new Error(`the answer is over ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.once('end', () => {
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
      response.once('error', reject);
    };
    const common = {
      method: 'GET',
      headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.9', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs),
    };
    const req = tls
      ? httpsRequest(
          url,
          { ...common, ...(options.ca ? { ca: options.ca } : {}), rejectUnauthorized: options.insecureSkipVerify !== true },
          onResponse,
        )
      : httpRequest(url, common, onResponse);
    req.once('error', reject);
    req.end();
  });
}
