import { Anchor, Badge, Checkbox, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { languageName } from '../../components/language.ts';
import { assistanceLabel, COST_LABELS, domainLabel, freshness, miles } from './labels.ts';
import classes from './resources.module.css';
import type { SelectedService } from './selection.ts';
import type { SearchResult } from './types.ts';
import { VerdictBadge } from './VerdictBadge.tsx';

/** Badges never shrink into an ellipsis in a narrow column. */
const WHOLE = { root: { minWidth: 'max-content', overflow: 'visible' }, label: { overflow: 'visible' } };

export const resultSelection = (result: SearchResult): SelectedService => ({
  serviceId: result.serviceId,
  locationId: result.locationId,
  name: result.name,
  organization: result.organization,
  address: result.address,
});

/** Where a result's page is, keeping the patient and need the search was for. */
export function servicePath(
  result: Pick<SearchResult, 'serviceId' | 'locationId'>,
  context: URLSearchParams,
) {
  const params = new URLSearchParams();
  for (const key of ['patientId', 'needId']) {
    const value = context.get(key);
    if (value) params.set(key, value);
  }
  if (result.locationId) params.set('locationId', result.locationId);
  const query = params.toString();
  return `/resources/services/${result.serviceId}${query ? `?${query}` : ''}`;
}

/**
 * One search result as a worker weighs it: what and who, where and how far, whether it is open today, the
 * languages and cost, the patient's eligibility with its reasons, why it matched, and when it was last checked.
 */
export function ResultCard({
  result,
  href,
  selected,
  onToggle,
  active,
  linkProps,
  showSelect,
  children,
}: {
  result: SearchResult;
  href: string;
  selected: boolean;
  onToggle: () => void;
  /** The row the keyboard is on (j/k). */
  active: boolean;
  linkProps: object;
  showSelect: boolean;
  /** More about the result, under its facts (the financial-assistance view adds the program's rules). */
  children?: ReactNode;
}) {
  const titleId = `result-${result.id}`;
  const fresh = freshness(result.assuredDate);
  const distance = miles(result.distanceMiles);
  return (
    <Paper
      component="article"
      aria-labelledby={titleId}
      withBorder
      p="sm"
      className={classes.result}
      data-active={active || undefined}
      data-selected={selected || undefined}
    >
      <Group align="flex-start" wrap="nowrap" gap="sm">
        {showSelect && (
          <Checkbox
            mt={4}
            checked={selected}
            onChange={onToggle}
            aria-label={`Select ${result.name} for referral`}
          />
        )}
        <Stack gap={4} className={classes.grow}>
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
            <div>
              <Title order={3} size="h4" id={titleId}>
                <Anchor component={Link} to={href} {...linkProps}>
                  {result.name}
                </Anchor>
              </Title>
              <Text size="sm">{result.organization.name}</Text>
            </div>
            <Group gap={4} wrap="wrap">
              {result.eligibility && <VerdictBadge verdict={result.eligibility.verdict} />}
              <Badge color="gray.8" variant="outline" styles={WHOLE}>
                {COST_LABELS[result.cost]}
              </Badge>
            </Group>
          </Group>
          <Group gap={4} wrap="wrap">
            {result.assistanceKind && (
              <Badge color="violet.9" variant="filled" styles={WHOLE}>
                {assistanceLabel(result.assistanceKind)}
              </Badge>
            )}
            {result.domains.map((d) => (
              <Badge key={d} color="blue.1" autoContrast variant="filled" styles={WHOLE}>
                {domainLabel(d)}
              </Badge>
            ))}
          </Group>
          <Text size="sm">
            {result.address ?? 'No address listed'}
            {distance && <strong>{` · ${distance}`}</strong>}
            {result.phone && ` · ${result.phone}`}
          </Text>
          <Text size="sm">
            <span className={classes.label}>Today: </span>
            {result.hoursToday.text}
            {result.hoursToday.openNow !== null && (
              <Badge
                ml={6}
                size="sm"
                color={result.hoursToday.openNow ? 'teal.9' : 'gray.8'}
                variant={result.hoursToday.openNow ? 'filled' : 'outline'}
                styles={WHOLE}
              >
                {result.hoursToday.openNow ? 'Open now' : 'Closed now'}
              </Badge>
            )}
          </Text>
          {result.languages.length > 0 && (
            <Text size="sm">
              <span className={classes.label}>Languages: </span>
              {result.languages.map(languageName).join(', ')}
            </Text>
          )}
          {result.eligibility && result.eligibility.reasons.length > 0 && (
            <div>
              <Text size="sm" className={classes.label} id={`${titleId}-eligibility`}>
                For this patient:
              </Text>
              <List size="sm" aria-labelledby={`${titleId}-eligibility`}>
                {result.eligibility.reasons.map((reason) => (
                  <List.Item key={reason}>{reason}</List.Item>
                ))}
              </List>
            </div>
          )}
          {result.why.length > 0 && (
            <Text size="sm">
              <span className={classes.label}>Why it matched: </span>
              {result.why.map((w) => w.text).join(' · ')}
            </Text>
          )}
          {children}
          <Text size="xs" c={fresh.stale ? 'orange.9' : 'gray.8'}>
            {fresh.text}
            {fresh.stale && result.assuredDate ? ' (over a year ago: check before referring)' : ''}
          </Text>
        </Stack>
      </Group>
    </Paper>
  );
}
