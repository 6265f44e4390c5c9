import { ApiError } from '../../api/client.ts';

const PREFIXES = /^(body\.|response\.|content\.|item\.|answers\.)+/;

/** The server names the field first ("is required: …"); next to the question, say it as a sentence. */
function readable(message: string): string {
  if (message.startsWith('is required')) return 'Answer this question';
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * A 422's field errors placed on the questions (or psychosocial sections) they name, whatever prefix the
 * server gives the path (`response.44260-8`, `content.summary`); the rest are listed above the form.
 */
export function placeErrors(
  error: unknown,
  fields: readonly string[],
): { byField: Record<string, string>; other: string[] } {
  const byField: Record<string, string> = {};
  const other: string[] = [];
  if (!(error instanceof ApiError)) return { byField, other };
  for (const { field, message } of error.errors) {
    const name = field.replace(PREFIXES, '');
    if (fields.includes(name)) byField[name] ??= readable(message);
    else other.push(`${field}: ${message}`);
  }
  return { byField, other };
}
