import type { DbOrTx } from '../../db/client.ts';

/**
 * Rebuilds the search read model (directory_search_docs, directory_search_terms, directory_search_lexicon)
 * for the given services of a tenant, or for all of its services when `serviceIds` is omitted. Call it in the
 * same transaction as the change. Returns the number of search documents written.
 */
export async function reindexSearchDocs(
  _tx: DbOrTx,
  _organizationId: string,
  _serviceIds?: readonly string[],
): Promise<number> {
  // Owned by the search work (issue 5): replaced with the real projection.
  return 0;
}
