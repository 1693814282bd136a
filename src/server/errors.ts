/**
 * The one error type the services throw. Each carries a stable `id` that clients
 * and tests match on, an HTTP status, and a message meant for people. The HTTP
 * layer turns it into `{ error: { id, message, details? } }`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (id: string, message: string, details?: unknown) => new AppError(400, id, message, details);
export const unauthorized = (message = 'Please log in.') => new AppError(401, 'unauthorized', message);
export const forbidden = (id: string, message: string) => new AppError(403, id, message);
export const notFound = (what: string) => new AppError(404, `${what}_not_found`, `No such ${what.replace(/_/g, ' ')}.`);
export const conflict = (id: string, message: string, details?: unknown) => new AppError(409, id, message, details);
export const tooLarge = (id: string, message: string) => new AppError(413, id, message);
export const unsupportedMedia = (id: string, message: string) => new AppError(415, id, message);
export const tooManyRequests = (id: string, message: string) => new AppError(429, id, message);
