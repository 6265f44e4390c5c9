import { Alert } from '@mantine/core';
import { ApiError } from '../api/client.ts';

/** What the department should read for a failed request. */
export function describeProblem(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Something went wrong.';
  if (error.status >= 500 || error.status === 0) {
    return error.correlationId
      ? `Something went wrong (reference ${error.correlationId}).`
      : error.status === 0
        ? error.title
        : 'Something went wrong.';
  }
  if (error.status === 403) return error.detail ?? 'You are not allowed to do this.';
  if (error.status === 404)
    return error.detail ?? 'Not found: it may have been removed, or the link is wrong.';
  if (error.status === 409) return error.detail ?? error.title;
  if (error.status === 429) return 'Too many attempts. Wait a moment and try again.';
  if ((error.status === 400 || error.status === 422) && error.errors.length > 0)
    return 'Some fields need attention.';
  return error.detail ?? error.title;
}

/** An announced error message for a failed request; renders nothing without an error. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  return (
    <Alert color="red" role="alert" title={title} variant="light">
      {describeProblem(error)}
    </Alert>
  );
}
