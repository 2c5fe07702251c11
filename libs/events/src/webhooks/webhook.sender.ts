import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import { SSRF_ERROR_CODE, SsrfGuard, UrlRefusal } from './ssrf-guard';

export interface WebhookRequest {
  url: string;
  /** The exact bytes that were signed. */
  body: Buffer;
  headers: Record<string, string>;
  timeoutMs: number;
}

/** What came of one attempt. `status` is set when the receiver answered at all. */
export interface WebhookResult {
  status?: number;
  /** The receiver's Retry-After header, as sent. */
  retryAfter?: string;
  /** Why the attempt failed (a non-2xx answer, a timeout, a refused target…); undefined on 2xx. */
  error?: string;
  /** The attempt was cut short because the process is shutting down: it does not count. */
  interrupted?: boolean;
  durationMs: number;
}

/**
 * The one seam through which deliveries leave the process: the relay hands it a signed request and
 * records what comes back. libs/resilience will provide another implementation (a breaker per
 * target) under the same token.
 */
export abstract class WebhookSender {
  abstract send(request: WebhookRequest, signal: AbortSignal): Promise<WebhookResult>;
}

/** First bytes of an answer kept with a failed delivery, to help its owner see why. */
const SNIPPET_BYTES = 300;

/**
 * Sends with axios over agents whose DNS lookup is the SSRF guard's, so the address connected to
 * is the address checked. No redirects, no proxy from the environment, a hard timeout through an
 * AbortController; only the first bytes of an answer are read.
 */
@Injectable()
export class AxiosWebhookSender extends WebhookSender implements OnApplicationShutdown {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly client: AxiosInstance;

  constructor(private readonly guard: SsrfGuard) {
    super();
    this.httpAgent = new HttpAgent({ keepAlive: true, lookup: guard.lookup });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, lookup: guard.lookup });
    this.client = axios.create({
      httpAgent: this.httpAgent,
      httpsAgent: this.httpsAgent,
      maxRedirects: 0,
      proxy: false,
      responseType: 'stream',
      validateStatus: () => true,
      // The body is already the signed bytes: nothing may re-encode it.
      transformRequest: [(data: unknown) => data],
    });
  }

  async send(request: WebhookRequest, shutdown: AbortSignal): Promise<WebhookResult> {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    try {
      this.guard.checkStatic(request.url);
    } catch (e) {
      return { error: e instanceof UrlRefusal ? e.message : String(e), durationMs: 0 };
    }
    const timeout = new AbortController();
    const timer = setTimeout(() => {
      timeout.abort();
    }, request.timeoutMs);
    try {
      const response = await this.client.post<Readable>(request.url, request.body, {
        headers: request.headers,
        signal: AbortSignal.any([timeout.signal, shutdown]),
      });
      const snippet = await readSnippet(response.data);
      const status = response.status;
      const retryAfter = response.headers['retry-after'] as unknown;
      return {
        status,
        ...(typeof retryAfter === 'string' ? { retryAfter } : {}),
        ...(status >= 200 && status < 300
          ? {}
          : {
              error:
                status >= 300 && status < 400
                  ? `HTTP ${status}: redirects are not followed (answer 2xx at the subscribed URL)`
                  : `HTTP ${status}${snippet ? `: ${snippet}` : ''}`,
            }),
        durationMs: elapsed(),
      };
    } catch (e) {
      if (shutdown.aborted)
        return { error: 'interrupted by shutdown', interrupted: true, durationMs: elapsed() };
      if (timeout.signal.aborted)
        return { error: `no answer within ${request.timeoutMs} ms`, durationMs: elapsed() };
      return { error: describe(e), durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  onApplicationShutdown(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function describe(e: unknown): string {
  const cause = isAxiosError(e) ? (e.cause ?? e) : e;
  const code = (cause as NodeJS.ErrnoException).code;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (code === SSRF_ERROR_CODE) return `target refused: ${message}`;
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** Reads up to SNIPPET_BYTES of the answer, then lets go of the connection. */
async function readSnippet(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      chunks.push(buffer);
      size += buffer.length;
      if (size >= SNIPPET_BYTES) break;
    }
  } catch {
    // A body cut short says nothing more about the outcome than the status already does.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks)
    .subarray(0, SNIPPET_BYTES)
    .toString('utf8')
    .replace(/\s+/g, ' ')
    .trim();
}
