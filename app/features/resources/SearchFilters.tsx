import {
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NativeSelect,
  Select,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { COMMON_LANGUAGES } from '../../../domain/languages.ts';
import type { SdohDomain } from '../../../domain/needs.ts';
import type { AssistanceKind } from '../../../domain/resources.ts';
import { languageName } from '../../components/language.ts';
import { ASSISTANCE_CHOICES, DOMAIN_CHOICES } from './labels.ts';
import { SEARCH_SORTS, type SearchSort, type SearchState } from './search-params.ts';

const RADII = ['1', '2', '5', '10', '25', '50', '100'];
const SORT_LABELS: Record<SearchSort, string> = {
  relevance: 'Best match',
  distance: 'Nearest first',
  name: 'Name',
};
const LANGUAGE_CHOICES = [...new Set(COMMON_LANGUAGES)]
  .map((code) => ({ value: code, label: languageName(code) }))
  .sort((a, b) => a.label.localeCompare(b.label));

/** An instant as the browser's datetime-local input shows it (local time, to the minute). */
const localInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const instant = (local: string) =>
  local && !Number.isNaN(Date.parse(local)) ? new Date(local).toISOString() : null;

type OpenChoice = 'any' | 'now' | 'at';

/**
 * The directory's filters. Each change goes to the address at once (so the search can be shared); the ZIP
 * code waits for five digits.
 */
export function SearchFilters({
  state,
  update,
  patientName,
  assistanceFixed = false,
}: {
  state: SearchState;
  update: (changes: Partial<SearchState>) => void;
  /** The patient the search is for, when there is one: offers "Eligible for this patient". */
  patientName: string | null;
  /** On the financial-assistance view the programs are always the filter; hide the domain picker. */
  assistanceFixed?: boolean;
}) {
  const [zip, setZip] = useState(state.zip);
  const [zipError, setZipError] = useState<string | null>(null);
  const openChoice: OpenChoice = state.openAt ? 'at' : state.openNow ? 'now' : 'any';
  const [openAtDraft, setOpenAtDraft] = useState(state.openAt ? localInput(state.openAt) : '');

  function changeZip(value: string) {
    setZip(value);
    const trimmed = value.trim();
    if (trimmed === '' || /^\d{5}$/.test(trimmed)) {
      setZipError(null);
      if (trimmed !== state.zip) update({ zip: trimmed });
    } else if (trimmed.length >= 5) {
      setZipError('Enter a 5-digit ZIP code');
    }
  }

  function changeOpen(choice: OpenChoice) {
    if (choice === 'any') return update({ openNow: false, openAt: null });
    if (choice === 'now') return update({ openNow: true, openAt: null });
    const draft = openAtDraft || localInput(new Date().toISOString());
    setOpenAtDraft(draft);
    update({ openNow: false, openAt: instant(draft) });
  }

  const measuring = Boolean(patientName || state.zip);
  const filtered =
    state.domain.length ||
    state.taxonomy.length ||
    (!assistanceFixed && state.assistanceKind.length) ||
    state.zip ||
    state.radiusMiles ||
    state.openNow ||
    state.openAt ||
    state.language.length ||
    state.free ||
    state.eligible;

  return (
    <Group align="flex-end" gap="sm" wrap="wrap" role="group" aria-label="Filters">
      {!assistanceFixed && (
        <MultiSelect
          label="Need"
          placeholder={state.domain.length ? undefined : 'Any need'}
          data={DOMAIN_CHOICES}
          value={state.domain}
          onChange={(value) => update({ domain: value as SdohDomain[] })}
          searchable
          clearable
          w={260}
        />
      )}
      <MultiSelect
        label="Financial assistance"
        placeholder={state.assistanceKind.length ? undefined : assistanceFixed ? 'Every program' : 'Any'}
        data={ASSISTANCE_CHOICES}
        value={state.assistanceKind}
        onChange={(value) => update({ assistanceKind: value as AssistanceKind[] })}
        clearable
        w={260}
      />
      <TagsInput
        label="Taxonomy code"
        placeholder={state.taxonomy.length ? undefined : 'e.g. BD-1800'}
        value={state.taxonomy}
        onChange={(value) => update({ taxonomy: value.map((v) => v.trim()).filter(Boolean) })}
        clearable
        w={180}
      />
      <TextInput
        label="Near ZIP code"
        inputMode="numeric"
        autoComplete="postal-code"
        maxLength={5}
        value={zip}
        onChange={(e) => changeZip(e.currentTarget.value)}
        error={zipError}
        w={130}
      />
      <NativeSelect
        label="Within"
        value={state.radiusMiles ? String(state.radiusMiles) : ''}
        onChange={(e) =>
          update({ radiusMiles: e.currentTarget.value ? Number(e.currentTarget.value) : null })
        }
        data={[
          { value: '', label: 'Any distance' },
          ...RADII.map((r) => ({ value: r, label: `${r} miles` })),
        ]}
        disabled={!measuring}
        description={measuring ? undefined : 'Needs a ZIP code'}
        w={140}
      />
      <NativeSelect
        label="Open"
        value={openChoice}
        onChange={(e) => changeOpen(e.currentTarget.value as OpenChoice)}
        data={[
          { value: 'any', label: 'Any time' },
          { value: 'now', label: 'Open now' },
          { value: 'at', label: 'Open at a date and time…' },
        ]}
        w={210}
      />
      {openChoice === 'at' && (
        <TextInput
          label="Open at"
          type="datetime-local"
          value={openAtDraft}
          onChange={(e) => {
            const value = e.currentTarget.value;
            setOpenAtDraft(value);
            const at = instant(value);
            if (at) update({ openAt: at });
          }}
          w={220}
        />
      )}
      <MultiSelect
        label="Language"
        placeholder={state.language.length ? undefined : 'Any language'}
        data={LANGUAGE_CHOICES}
        value={state.language}
        onChange={(value) => update({ language: value })}
        searchable
        clearable
        w={220}
      />
      <Select
        label="Sort by"
        allowDeselect={false}
        data={SEARCH_SORTS.map((s) => ({
          value: s,
          label: SORT_LABELS[s],
          disabled: s === 'distance' && !measuring,
        }))}
        value={state.sort}
        onChange={(value) => update({ sort: (value as SearchSort | null) ?? 'relevance' })}
        w={160}
      />
      <Checkbox
        label="Free only"
        checked={state.free}
        onChange={(e) => update({ free: e.currentTarget.checked })}
        mb={8}
      />
      {patientName && (
        <Checkbox
          label="Eligible for this patient"
          checked={state.eligible}
          onChange={(e) => update({ eligible: e.currentTarget.checked })}
          mb={8}
        />
      )}
      {filtered ? (
        <Button
          variant="default"
          onClick={() => {
            setZip('');
            setZipError(null);
            setOpenAtDraft('');
            update({
              domain: [],
              taxonomy: [],
              ...(assistanceFixed ? {} : { assistanceKind: [] }),
              zip: '',
              radiusMiles: null,
              openNow: false,
              openAt: null,
              language: [],
              free: false,
              eligible: false,
            });
          }}
        >
          Clear filters
        </Button>
      ) : null}
    </Group>
  );
}
