/** A value or a list of problems; descriptor and package readers return this. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

/** Builds a successful {@link Result}. */
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });

/** Builds a failed {@link Result}. */
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/**
 * One problem found in a package or descriptor. `file` is the path inside the package
 * (or the uploaded file name), `path` a JSON-pointer-like field path
 * (`/virtual_links/2/connection_points_reference/0`), `message` what is wrong and what to do.
 */
export interface ValidationIssue {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}
