import { Button, Group, Loader, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { ASSISTANCE_KINDS, type AssistanceKind } from '../../../domain/resources.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useRowNavigation } from '../worklist/use-row-navigation.ts';
import { PatientBanner, patientDisplayName } from './PatientBanner.tsx';
import { ResultCard, resultSelection, servicePath } from './ResultCard.tsx';
import classes from './resources.module.css';
import { SearchFilters } from './SearchFilters.tsx';
import { SearchPager } from './SearchPager.tsx';
import { SelectionBar } from './SelectionBar.tsx';
import { type SearchState, writeSearch } from './search-params.ts';
import { MAX_SELECTED, useServiceSelection } from './selection.ts';
import type { SearchResponse, SearchResult } from './types.ts';
import { usePatientContext, useResourceSearch } from './use-resources.ts';
import { useSearchState } from './use-search-state.ts';

const TYPING_PAUSE_MS = 350;
/** Where "Back to results" on a service's page goes. */
export const LAST_SEARCH_KEY = 'kith.resources.lastSearch';
const ALL_KINDS = Object.keys(ASSISTANCE_KINDS) as AssistanceKind[];

const number = new Intl.NumberFormat('en-US');

/** The search as the server ran it: each corrected word replaced ("fod pantry" → "food pantry"). */
export function correctedQuery(q: string, corrections: SearchResponse['corrections']): string {
  const fixes = new Map(corrections.map((c) => [c.from.toLowerCase(), c.to]));
  return q
    .trim()
    .split(/\s+/)
    .map((word) => fixes.get(word.toLowerCase()) ?? word)
    .join(' ');
}

/** "23 services found", "More than 1,000 services found", and what the search read when it fixed a typo. */
function describeCount(data: SearchResponse, q: string): string {
  const noun = data.total === 1 ? 'service' : 'services';
  const count = data.totalIsCapped
    ? `More than ${number.format(data.total)} ${noun}`
    : `${number.format(data.total)} ${noun}`;
  const corrected = data.corrections.length
    ? `. Showing results for ${correctedQuery(q, data.corrections)}`
    : '';
  return data.total === 0 ? `No services found${corrected}` : `${count} found${corrected}`;
}

/**
 * The directory search: a search box that searches as the worker types (and at once on Enter), the filters,
 * and the results as a list the keyboard walks (`j`/`k`, `x` ticks a result for a referral, `/` back to the
 * box). Everything lives in the address. `assistanceOnly` makes it the financial-assistance view: the
 * results are always assistance programs, and `extra` adds to each one (its eligibility in words).
 */
export function ResourceSearch({
  assistanceOnly = false,
  extra,
}: {
  assistanceOnly?: boolean;
  extra?: (result: SearchResult) => ReactNode;
}) {
  const { state, params, update, arrivals } = useSearchState();
  const navigate = useNavigate();
  const apiState: SearchState =
    assistanceOnly && state.assistanceKind.length === 0 ? { ...state, assistanceKind: ALL_KINDS } : state;
  const search = useResourceSearch(apiState);
  const patient = usePatientContext(state.patientId);
  const selection = useServiceSelection();
  const [text, setText] = useState(state.q);
  const [full, setFull] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => searchRef.current?.focus(), []);
  const addressText = params.toString();
  useEffect(() => {
    sessionStorage.setItem(LAST_SEARCH_KEY, addressText);
  }, [addressText]);

  const typed = useDebouncedCallback((q: string) => update({ q }), TYPING_PAUSE_MS);
  // A search arriving from outside (Back, a link) puts its words in the box.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when a search arrives
  useEffect(() => {
    typed.cancel();
    setText(state.q);
  }, [arrivals]);

  function submit(event: FormEvent) {
    event.preventDefault();
    typed.cancel();
    update({ q: text });
  }

  const items = search.data?.items ?? [];
  const rows = useRowNavigation({
    count: items.length,
    resetKey: writeSearch(state).toString(),
    open: (index) => {
      const item = items[index];
      if (item) void navigate(servicePath(item, params));
    },
    filterRef: searchRef,
    tableRef: listRef,
  });

  function toggle(result: SearchResult) {
    setFull(!selection.toggle(resultSelection(result)));
  }

  // `x` ticks the result the keyboard is on, as mail clients do.
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== 'x' || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey)
        return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
      const item = items[rows.selected];
      if (!item) return;
      event.preventDefault();
      setFull(!selection.toggle(resultSelection(item)));
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [items, rows.selected, selection]);

  const withoutPatient = new URLSearchParams(params);
  withoutPatient.delete('patientId');
  withoutPatient.delete('needId');
  withoutPatient.delete('eligible');
  const patientName = state.patientId
    ? patient.data
      ? patientDisplayName(patient.data)
      : 'this patient'
    : null;
  const data = search.data;

  return (
    <Stack gap="sm">
      {state.patientId && (
        <PatientBanner
          patientId={state.patientId}
          needId={state.needId}
          origin={data?.origin}
          clearHref={`?${withoutPatient.toString()}`}
        />
      )}
      <search aria-label={assistanceOnly ? 'Financial assistance' : 'Directory'}>
        <form onSubmit={submit}>
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <TextInput
              ref={searchRef}
              type="search"
              label={assistanceOnly ? 'Search the programs' : 'Search the directory'}
              description="Words from the name, organisation or description; spelling mistakes are forgiven"
              placeholder={assistanceOnly ? 'e.g. utility, prescription' : 'e.g. food pantry, rent help'}
              leftSection={<IconSearch size={18} aria-hidden />}
              value={text}
              onChange={(e) => {
                setText(e.currentTarget.value);
                typed(e.currentTarget.value);
              }}
              maxLength={200}
              className={classes.searchBox}
              style={{ flex: 1 }}
            />
            <Button type="submit">Search</Button>
          </Group>
        </form>
      </search>
      <SearchFilters
        key={arrivals}
        state={state}
        update={update}
        patientName={patientName}
        assistanceFixed={assistanceOnly}
      />
      <Text size="xs" className={classes.keys}>
        Keys: <kbd>/</kbd> goes to the search box, <kbd>j</kbd>/<kbd>k</kbd> or arrows move between results,{' '}
        <kbd>x</kbd> selects the result for a referral, <kbd>Enter</kbd> opens it.
      </Text>
      <SelectionBar patientId={state.patientId} needId={state.needId} />
      {full && (
        <Text size="sm" role="alert">
          {`At most ${MAX_SELECTED} services can be referred at once.`}
        </Text>
      )}
      <section aria-labelledby="results-heading">
        <Stack gap="sm">
          <Group gap="sm" align="baseline">
            <Title order={2} size="h3" id="results-heading">
              Results
            </Title>
            <Text size="sm" role="status" aria-live="polite" aria-atomic="true">
              {search.isFetching && !data ? 'Searching…' : data ? describeCount(data, state.q) : ''}
            </Text>
            {search.isFetching && data && <Loader size="xs" aria-label="Updating results" />}
          </Group>
          <ProblemAlert error={search.error} />
          {data && items.length === 0 && (
            <Text size="sm">No service matches. Try fewer filters, a wider distance, or other words.</Text>
          )}
          <ol ref={listRef} className={classes.results} aria-label="Services found">
            {items.map((result, index) => (
              <li key={result.id}>
                <ResultCard
                  result={result}
                  href={servicePath(result, params)}
                  selected={selection.isSelected(result)}
                  onToggle={() => toggle(result)}
                  active={index === rows.selected}
                  linkProps={rows.linkProps(index)}
                  showSelect
                >
                  {extra?.(result)}
                </ResultCard>
              </li>
            ))}
          </ol>
          <SearchPager data={data} page={state.page} onChange={(page) => update({ page })} />
        </Stack>
      </section>
    </Stack>
  );
}
