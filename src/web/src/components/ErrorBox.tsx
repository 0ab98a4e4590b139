import { ApiError } from '../api-client.js';

/** An error as a readable box: ProblemDetails code and detail for API errors. */
export function ErrorBox({ error }: { readonly error: unknown }) {
  if (!error) return null;
  const text = error instanceof ApiError
    ? `${error.status} ${error.code}: ${error.detail}`
    : error instanceof Error ? error.message : String(error);
  const notYet = error instanceof ApiError && error.status === 404 && error.code === 'ROUTE_NOT_FOUND';
  return (
    <div className="error" role="alert" data-testid="error">
      {notYet ? 'This server does not offer this API yet. ' : ''}
      {text}
    </div>
  );
}
