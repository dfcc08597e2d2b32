export interface DevinApiErrorOptions extends ErrorOptions {
  /** A 403: the permission Devin's documentation names for the call that was refused. */
  permission?: string;
}

/** Devin's API answered, but not with what we asked for (4xx other than 404, 5xx, or an unreadable body). */
export class DevinApiError extends Error {
  readonly permission?: string;

  constructor(
    message: string,
    readonly status: number,
    readonly detail?: string,
    readonly retryAfterMs?: number,
    options?: DevinApiErrorOptions,
  ) {
    super(message, options);
    this.name = 'DevinApiError';
    if (options?.permission) this.permission = options.permission;
  }

  /** 408, 425, 429 and 5xx may succeed later. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 425 || this.status === 429 || this.status >= 500;
  }

  /** The key was refused: nothing will work until the configuration is fixed. */
  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
  }
}

/** No answer from Devin's API: connection refused or reset, DNS, or the request timed out. */
export class DevinNetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DevinNetworkError';
  }

  readonly retryable = true;
}

export type DevinError = DevinApiError | DevinNetworkError;

export function isDevinError(error: unknown): error is DevinError {
  return error instanceof DevinApiError || error instanceof DevinNetworkError;
}

/**
 * True when a failed POST may nevertheless have reached Devin: the request went out and no clear refusal came back
 * (timeouts, resets, 5xx, an unreadable 200). Such a message is checked for before it is sent again.
 */
export function mayHaveArrived(error: DevinError): boolean {
  if (error instanceof DevinNetworkError) return error.code !== 'ECONNREFUSED' && error.code !== 'ENOTFOUND';
  return error.status >= 500 || error.status === 200 || error.status === 408;
}
