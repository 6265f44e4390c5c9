import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigationType, useSearchParams } from 'react-router';
import { readSearch, type SearchState, writeSearch } from './search-params.ts';

/**
 * The search as the worker last asked for it, mirrored into the address (replacing the entry, so Back leaves
 * the page rather than undoing filters one by one). The page draws from this state, not from the address: the
 * router commits an address change inside a transition, a moment later, and two quick changes (a filter
 * picked while the typed words are still being debounced) must neither undo each other nor flicker. A new
 * address from outside (a link, Back or Forward) replaces the search.
 */
export function useSearchState() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigationType = useNavigationType();
  const [state, setState] = useState<SearchState>(() => readSearch(params));
  /** Counts the searches that came from outside, for inputs that keep their own text to follow. */
  const [arrivals, setArrivals] = useState(0);

  // Runs after each committed navigation: our own are replacements; anything else is the new search.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new history entry is the trigger
  useEffect(() => {
    if (navigationType === 'REPLACE') return;
    setState(readSearch(new URLSearchParams(location.search)));
    setArrivals((n) => n + 1);
  }, [location.key]);

  const text = writeSearch(state).toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: written when the search changes, not the address
  useEffect(() => {
    if (text !== new URLSearchParams(location.search).toString()) {
      setParams(new URLSearchParams(text), { replace: true });
    }
  }, [text]);

  /** Changes the search; any change but paging goes back to the first page. */
  const update = useCallback((changes: Partial<SearchState>) => {
    setState((previous) => {
      const next = { ...previous, ...changes };
      if (!('page' in changes)) next.page = 1;
      return next;
    });
  }, []);

  const asked = useMemo(() => new URLSearchParams(text), [text]);
  return { state, params: asked, update, arrivals };
}
