import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ApiErrorBody } from '@vigil/shared';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ConcurrencyError, EventStoreClosedError } from '../event-store/event-store';

/** Errors raised by body-parser carry a status and a type instead of being HttpExceptions. */
interface BodyParserError {
  status: number;
  type: string;
  message: string;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    'type' in error &&
    'status' in error &&
    typeof (error as BodyParserError).type === 'string' &&
    typeof (error as BodyParserError).status === 'number'
  );
}

function body(statusCode: number, message: string, details?: ApiErrorBody['details']): ApiErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, ...(details ? { details } : {}) };
}

/** Maps any error to the one JSON error shape; never leaks stacks or paths. */
export function toErrorBody(exception: unknown): ApiErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'string') return body(status, response);
    const { message, details } = response as { message?: unknown; details?: ApiErrorBody['details'] };
    const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message;
    return body(status, text, details);
  }
  if (exception instanceof ConcurrencyError) {
    return body(HttpStatus.CONFLICT, exception.message, {
      stream: exception.stream,
      expected: exception.expected,
      actual: exception.actual,
    });
  }
  if (exception instanceof EventStoreClosedError) return body(HttpStatus.SERVICE_UNAVAILABLE, exception.message);
  if (isBodyParserError(exception)) {
    switch (exception.type) {
      case 'entity.too.large':
        return body(HttpStatus.PAYLOAD_TOO_LARGE, 'request body is too large', {
          limitBytes: (exception as unknown as { limit?: number }).limit,
        });
      case 'entity.parse.failed':
        return body(HttpStatus.BAD_REQUEST, `invalid JSON body: ${exception.message}`);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, exception.message);
      default:
        return body(exception.status >= 400 && exception.status < 500 ? exception.status : 400, exception.message);
    }
  }
  return body(HttpStatus.INTERNAL_SERVER_ERROR, 'internal server error');
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const errorBody = toErrorBody(exception);
    if (errorBody.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (response.headersSent) {
      // An SSE stream or a streamed export that already started: all we can do is end it.
      response.end();
      return;
    }
    response.status(errorBody.statusCode).json(errorBody);
  }
}
