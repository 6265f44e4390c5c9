import { Badge, Checkbox, Group, Loader, Paper, Stack, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import { api, toQuery } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import type { ChosenService, SearchResponse, SearchResult } from './types.ts';

const PAGE_SIZE = 10;

/** The directory search, scoped to the patient (distance, eligibility) and by default to the need's domain. */
function useServiceSearch(params: {
  patientId: string;
  domain: SdohDomain | null;
  q: string;
  eligible: boolean;
  openNow: boolean;
}) {
  const query = toQuery({
    patientId: params.patientId,
    domain: params.domain ?? undefined,
    q: params.q.trim() || undefined,
    eligible: params.eligible ? 'true' : undefined,
    openNow: params.openNow ? 'true' : undefined,
    pageSize: PAGE_SIZE,
  });
  return useQuery({
    queryKey: ['resource-search', query],
    queryFn: () => api.get<SearchResponse>(`/api/resources/search${query}`),
    placeholderData: (previous) => previous,
  });
}

export const chosenFrom = (r: SearchResult): ChosenService => ({
  serviceId: r.serviceId,
  locationId: r.locationId,
  name: r.name,
  organization: r.organization,
  address: r.address,
});

export const sameChoice = (a: Pick<ChosenService, 'serviceId' | 'locationId'>, b: typeof a) =>
  a.serviceId === b.serviceId && (a.locationId ?? null) === (b.locationId ?? null);

function ResultItem({
  result,
  chosen,
  onToggle,
}: {
  result: SearchResult;
  chosen: boolean;
  onToggle: () => void;
}) {
  const facts = [
    result.distanceMiles !== null ? `${result.distanceMiles.toFixed(1)} mi` : null,
    result.hoursToday.text,
    result.cost === 'free' ? 'Free' : null,
  ].filter(Boolean);
  return (
    <Paper withBorder p="sm" component="li" style={{ listStyle: 'none' }}>
      <Stack gap={4}>
        <Checkbox
          checked={chosen}
          onChange={onToggle}
          label={
            <Text span fw={600}>
              {result.name}
            </Text>
          }
          description={result.organization.name}
          aria-label={`Choose ${result.name}, ${result.organization.name}`}
        />
        <Stack gap={2} pl={32}>
          {result.address && <Text size="sm">{result.address}</Text>}
          <Text size="sm">{facts.join(' · ')}</Text>
          {result.eligibility && result.eligibility.verdict !== 'no-rules' && (
            <Text size="sm">
              {result.eligibility.verdict === 'eligible'
                ? 'Eligible'
                : result.eligibility.verdict === 'possibly'
                  ? 'Possibly eligible'
                  : 'Not eligible'}
              {result.eligibility.reasons.length > 0 ? `: ${result.eligibility.reasons.join('; ')}` : ''}
            </Text>
          )}
          {result.why.length > 0 && (
            <Text size="xs">Matched: {result.why.map((w) => w.text).join(' · ')}</Text>
          )}
        </Stack>
      </Stack>
    </Paper>
  );
}

/**
 * Finds services to refer to, within the referral dialog: the patient's distance and eligibility, the need's
 * domain pre-set. Choosing a result adds it; choosing it again takes it away.
 */
export function ServiceSearchPanel({
  patientId,
  domain,
  chosen,
  onToggle,
}: {
  patientId: string;
  domain: SdohDomain;
  chosen: readonly ChosenService[];
  onToggle: (service: ChosenService) => void;
}) {
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 300);
  const [onlyDomain, setOnlyDomain] = useState(true);
  const [eligible, setEligible] = useState(false);
  const [openNow, setOpenNow] = useState(false);
  const search = useServiceSearch({
    patientId,
    domain: onlyDomain ? domain : null,
    q: debounced,
    eligible,
    openNow,
  });
  const data = search.data;

  return (
    <Stack gap="sm" component="section" aria-labelledby="refer-search-heading">
      <Text id="refer-search-heading" fw={600}>
        Search the directory
      </Text>
      <TextInput
        label="Search services"
        description="A word, an organisation or a kind of help, e.g. “pantry”"
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-autofocus
      />
      <Group gap="lg">
        <Switch
          label={`Only ${SDOH_DOMAIN_LABELS[domain].toLowerCase()} services`}
          checked={onlyDomain}
          onChange={(e) => setOnlyDomain(e.currentTarget.checked)}
        />
        <Switch
          label="Eligible for this patient"
          checked={eligible}
          onChange={(e) => setEligible(e.currentTarget.checked)}
        />
        <Switch label="Open now" checked={openNow} onChange={(e) => setOpenNow(e.currentTarget.checked)} />
      </Group>
      <ProblemAlert error={search.error} />
      <Group gap="xs" aria-live="polite" role="status">
        {search.isFetching && <Loader size="xs" aria-label="Searching" />}
        {data && (
          <Text size="sm">
            {data.total === 0
              ? 'No services match.'
              : `${data.totalIsCapped ? 'More than ' : ''}${data.total} ${data.total === 1 ? 'service' : 'services'}${data.total > data.items.length ? `, the first ${data.items.length} shown` : ''}${data.origin ? `; distance from ${data.origin.label}` : ''}.`}
          </Text>
        )}
        {data?.corrections.map((c) => (
          <Badge key={c.from} variant="outline" color="gray.8">
            {`Searched for “${c.to}” instead of “${c.from}”`}
          </Badge>
        ))}
      </Group>
      {data && data.items.length > 0 && (
        <Stack component="ul" gap="xs" p={0} m={0} aria-label="Services found">
          {data.items.map((result) => (
            <ResultItem
              key={result.id}
              result={result}
              chosen={chosen.some((c) => sameChoice(c, result))}
              onToggle={() => onToggle(chosenFrom(result))}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
