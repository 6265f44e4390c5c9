import { Alert, Badge, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { bandLabel, domainLabel } from './labels.ts';
import type { ScoreResult } from './types.ts';

const ALARM_TITLES: Record<string, string> = {
  'suicide-risk': 'Alarm: suicide risk',
  'safety-review': 'Alarm: safety review needed',
};

/** One fact of a result: a term and its value. */
export function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" fw={700} tt="uppercase" c="gray.8">
        {term}
      </Text>
      <Text component="dd" size="md" fw={600} m={0}>
        {children}
      </Text>
    </div>
  );
}

/**
 * Score, band, positive domains and alarms, in the one result shape of every instrument. `live` words the
 * alarms for a screen still being given; a completed one says what the alarm has set going.
 */
export function ScoreSummary({
  result,
  live = false,
  empty = false,
}: {
  result: ScoreResult | null | undefined;
  live?: boolean;
  /** Nothing answered yet: no score to speak of. */
  empty?: boolean;
}) {
  if (!result || empty) return <Text>Not scored yet: answer the first question.</Text>;
  return (
    <Stack gap="sm">
      <SimpleGrid component="dl" cols={2} spacing="sm" my={0}>
        <Fact term="Score">{result.score ?? 'No total'}</Fact>
        <Fact term="Band">{bandLabel(result.band)}</Fact>
      </SimpleGrid>
      <dl style={{ margin: 0 }}>
        <Fact term="Positive domains">
          {result.positiveDomains.length === 0 ? (
            'None'
          ) : (
            <Group component="span" gap={6} wrap="wrap">
              {result.positiveDomains.map((d) => (
                <Badge key={d} color="orange" variant="light" size="lg" tt="none">
                  {domainLabel(d)}
                </Badge>
              ))}
            </Group>
          )}
        </Fact>
      </dl>
      {result.alarms.map((alarm) => (
        <Alert
          key={alarm.code}
          color="red"
          variant="light"
          role="alert"
          title={ALARM_TITLES[alarm.code] ?? `Alarm: ${alarm.code}`}
          icon={<IconAlertTriangle aria-hidden />}
        >
          {alarm.reason}.{' '}
          {live
            ? 'Completing the screen flags the chart and tells the assigned worker and the supervisor.'
            : 'The chart is flagged, a task is due now for the assigned worker, and the supervisor is told.'}
        </Alert>
      ))}
    </Stack>
  );
}
