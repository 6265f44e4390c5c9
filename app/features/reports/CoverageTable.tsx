import { Table, VisuallyHidden } from '@mantine/core';
import type { z } from 'zod';
import { SDOH_MEASURE_DOMAINS } from '../../../domain/needs.ts';
import type { CoverageReport, CoverageRow } from '../../../domain/schemas/needs.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import { formatRate, MEASURE_DOMAIN_LABELS, monthLabel } from './coverage-format.ts';
import classes from './reports.module.css';

type Report = z.infer<typeof CoverageReport>;
type Counts = Omit<z.infer<typeof CoverageRow>, 'month' | 'unit'>;

const COUNT_COLUMNS = [
  { key: 'admitted', label: 'Adults admitted' },
  { key: 'excluded', label: 'Excluded' },
  { key: 'eligible', label: 'Eligible' },
  { key: 'screened', label: 'Screened for all five' },
] as const;

/** A rate, or a dash that says why there is none. */
function Rate({ rate }: { rate: number | null }) {
  const text = formatRate(rate);
  if (text !== null) return <>{text}</>;
  return (
    <>
      <span aria-hidden="true">—</span>
      <VisuallyHidden>no denominator</VisuallyHidden>
    </>
  );
}

/** The counts and rates of one row (a month and unit, or the total), after its row headers. */
function CountCells({ counts }: { counts: Counts }) {
  return (
    <>
      {COUNT_COLUMNS.map((c) => (
        <Table.Td key={c.key} className={classes.number}>
          {counts[c.key]}
        </Table.Td>
      ))}
      <Table.Td className={classes.number}>
        <Rate rate={counts.screeningRate} />
      </Table.Td>
      {SDOH_MEASURE_DOMAINS.map((d) => (
        <DomainCells key={d} positive={counts.positive[d]} />
      ))}
    </>
  );
}

function DomainCells({ positive }: { positive: { positive: number; rate: number | null } | undefined }) {
  return (
    <>
      <Table.Td className={`${classes.number} ${classes.groupStart}`}>{positive?.positive ?? 0}</Table.Td>
      <Table.Td className={classes.number}>
        <Rate rate={positive?.rate ?? null} />
      </Table.Td>
    </>
  );
}

/**
 * SDOH-1 and SDOH-2 by month of admission and unit, with a total row. Two rows of column headers: the
 * counts, then each SDOH-2 domain as a column group of its positive count and rate.
 */
export function CoverageTable({ report }: { report: Report }) {
  return (
    // Wider than most screens, with nothing focusable inside: the scrolling box itself takes the focus, so
    // keyboard users can scroll it sideways with the arrow keys.
    <Table.ScrollContainer
      minWidth={1300}
      type="native"
      tabIndex={0}
      role="region"
      aria-label="Screening coverage table"
    >
      <Table captionSide="top" withTableBorder withColumnBorders={false} verticalSpacing={4} fz="sm">
        <Table.Caption className={classes.caption}>
          Screening coverage by month of admission and unit, {formatCalendarDate(report.from)} to{' '}
          {formatCalendarDate(report.to)}
        </Table.Caption>
        <colgroup span={2} />
        <colgroup span={COUNT_COLUMNS.length + 1} />
        {SDOH_MEASURE_DOMAINS.map((d) => (
          <colgroup key={d} span={2} />
        ))}
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" rowSpan={2}>
              Month
            </Table.Th>
            <Table.Th scope="col" rowSpan={2}>
              Unit
            </Table.Th>
            {COUNT_COLUMNS.map((c) => (
              <Table.Th key={c.key} scope="col" rowSpan={2} className={classes.number}>
                {c.label}
              </Table.Th>
            ))}
            <Table.Th scope="col" rowSpan={2} className={classes.number}>
              SDOH-1 screening rate
            </Table.Th>
            {SDOH_MEASURE_DOMAINS.map((d) => (
              <Table.Th
                key={d}
                scope="colgroup"
                colSpan={2}
                className={`${classes.group} ${classes.groupStart}`}
              >
                {MEASURE_DOMAIN_LABELS[d]}
                <VisuallyHidden> (SDOH-2)</VisuallyHidden>
              </Table.Th>
            ))}
          </Table.Tr>
          <Table.Tr>
            {SDOH_MEASURE_DOMAINS.map((d) => [
              <Table.Th key={`${d}-n`} scope="col" className={`${classes.number} ${classes.groupStart}`}>
                Positive
              </Table.Th>,
              <Table.Th key={`${d}-r`} scope="col" className={classes.number}>
                Rate
              </Table.Th>,
            ])}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {report.rows.map((row) => (
            <Table.Tr key={`${row.month}|${row.unit ?? ''}`}>
              <Table.Th scope="row" fw="normal" className={classes.nowrap}>
                {monthLabel(row.month)}
              </Table.Th>
              <Table.Th scope="row" fw="normal">
                {row.unit ?? 'No unit recorded'}
              </Table.Th>
              <CountCells counts={row} />
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr className={classes.total}>
            <Table.Th scope="row" colSpan={2}>
              Total
            </Table.Th>
            <CountCells counts={report.total} />
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
