/** An error with the HTTP answer it deserves; `expected` ones are the caller's doing and not logged as failures. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  get expected(): boolean {
    return this.status < 500;
  }
}

export interface FieldIssue {
  index?: number;
  path: string;
  message: string;
}

export class ValidationError extends HttpError {
  constructor(code: string, issues: FieldIssue[]) {
    super(400, code, issues.map((i) => `${i.index !== undefined ? `[${i.index}] ` : ""}${i.path || "(root)"}: ${i.message}`).join("; "), { issues });
  }
}
