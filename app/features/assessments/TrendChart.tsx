import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { formatDateTime } from '../../components/dates.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { bandLabel, SHORT_NAMES } from './labels.ts';
import type { Trend } from './types.ts';
import { useTrend } from './use-assessments.ts';

// Low bands green to high bands red, light enough that the line and labels keep their contrast.
const BAND_COLORS = ['green.4', 'lime.4', 'yellow.4', 'orange.4', 'red.4', 'red.6'];

function bandColor(index: number, count: number): string {
  const at = count <= 1 ? 0 : Math.round((index / (count - 1)) * (BAND_COLORS.length - 2));
  return BAND_COLORS[at] ?? 'gray.4';
}

const thresholds = (trend: Trend) =>
  trend.bands.map((b) => `${b.interpretation} ${b.min}–${b.max}`).join(', ');

/** One instrument's scores over time, drawn over its bands, with the same scores as a table. */
function TrendCard({ trend }: { trend: Trend }) {
  const name = SHORT_NAMES[trend.instrument];
  const data = trend.points.map((p) => ({ when: formatDateTime(p.at), score: p.score }));
  const titleId = `trend-${trend.instrument}`;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Title order={3} size="h4" id={titleId}>
          {name} over time
        </Title>
        <div
          role="img"
          aria-label={`${name} scores over time on a scale of 0 to ${trend.maxScore}, drawn over the bands (${thresholds(trend)}). The table below lists each score.`}
        >
          <LineChart
            h={260}
            data={data}
            dataKey="when"
            series={[{ name: 'score', label: `${name} score`, color: 'teal.9' }]}
            curveType="linear"
            yAxisProps={{ domain: [0, trend.maxScore], allowDecimals: false }}
            lineChartProps={{ accessibilityLayer: false }}
            textColor="gray.8"
            strokeWidth={3}
            dotProps={{ r: 5 }}
            referenceAreas={trend.bands.map((band, index) => ({
              y1: Math.max(0, band.min - 0.5),
              y2: Math.min(trend.maxScore, band.max + 0.5),
              color: bandColor(index, trend.bands.length),
              fillOpacity: 0.18,
              ifOverflow: 'hidden',
              label: {
                value: band.interpretation,
                position: 'insideTopRight',
                fill: 'var(--mantine-color-gray-9)',
                fontSize: 12,
              },
            }))}
          />
        </div>
        <Table striped withTableBorder>
          <Table.Caption>{name} scores, oldest first</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Date</Table.Th>
              <Table.Th scope="col">Score</Table.Th>
              <Table.Th scope="col">Band</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {trend.points.map((p) => (
              <Table.Tr key={p.assessmentId}>
                <Table.Td>{formatDateTime(p.at)}</Table.Td>
                <Table.Td>{p.score}</Table.Td>
                <Table.Td>{bandLabel(p.band)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Text size="sm">Bands: {thresholds(trend)}.</Text>
      </Stack>
    </Paper>
  );
}

/** The trend of a repeated instrument (PHQ-9, GAD-7); nothing until it has been completed once. */
export function TrendChart({ patientId, instrument }: { patientId: string; instrument: 'phq-9' | 'gad-7' }) {
  const trend = useTrend(patientId, instrument);
  if (trend.error) return <ProblemAlert error={trend.error} />;
  if (!trend.data || trend.data.points.length === 0) return null;
  return <TrendCard trend={trend.data} />;
}
