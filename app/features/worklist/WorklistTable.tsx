import { Anchor, Badge, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { RefObject } from 'react';
import { Link } from 'react-router';
import type { WorklistSort } from '../../../domain/schemas/worklist.ts';
import type { WorklistItem } from '../../api/types.ts';
import { formatCalendarDate, formatDateTime } from '../../components/dates.ts';
import { OverdueBadge, StatusBadge, UrgencyBadge } from '../cases/badges.tsx';
import { FlagBadges } from '../chart/FlagBadges.tsx';
import classes from './worklist.module.css';

const patientName = (p: WorklistItem['patient']) =>
  `${p.familyName}, ${p.givenName}${p.preferredName ? ` “${p.preferredName}”` : ''}`;

function location(e: WorklistItem['encounter']): string {
  if (!e) return 'Not admitted';
  const place = [e.room, e.bed].filter(Boolean).join('-');
  return [e.unit, place].filter(Boolean).join(' ') || 'Admitted';
}

function FirstContact({ c }: { c: WorklistItem['case'] }) {
  if (c.firstContactAt) return <Text size="sm">Made {formatDateTime(c.firstContactAt)}</Text>;
  if (c.firstContactOverdue) {
    return (
      <Text size="sm">
        <OverdueBadge /> due {formatDateTime(c.firstContactDueAt)}
      </Text>
    );
  }
  return <Text size="sm">Due {formatDateTime(c.firstContactDueAt)}</Text>;
}

/** The count of open needs, said in full to screen readers ("3 open needs"); a badge when there are any. */
function OpenNeeds({ count }: { count: number }) {
  const words = <VisuallyHidden>{count === 1 ? ' open need' : ' open needs'}</VisuallyHidden>;
  return (
    <>
      {count === 0 ? (
        <Text size="sm" span>
          0
        </Text>
      ) : (
        <Badge color="blue.9" autoContrast variant="filled" className={classes.count}>
          {count}
        </Badge>
      )}
      {words}
    </>
  );
}

/**
 * Referrals of the patient that have not moved for longer than the department allows: said in words
 * ("1 stalled referral"), never by colour alone; nothing when there are none.
 */
function StalledReferrals({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <Badge
      color="yellow.3"
      autoContrast
      variant="filled"
      size="sm"
      className={classes.count}
      title="Referrals with no change for longer than the department's follow-up days"
    >
      {count} stalled
      <VisuallyHidden>{count === 1 ? ' referral' : ' referrals'}</VisuallyHidden>
    </Badge>
  );
}

type Column = { label: string; sort?: WorklistSort };

/** The worklist as a dense table; each row's patient name is a real link to the chart. */
export function WorklistTable({
  items,
  caption,
  hideCaption = false,
  showWorker,
  sort,
  descending,
  selected,
  linkProps,
  tableRef,
}: {
  items: WorklistItem[];
  caption: string;
  /** When the page's heading already says it: the caption is then for screen readers only. */
  hideCaption?: boolean;
  showWorker: boolean;
  sort: WorklistSort;
  /** Whether the sorted column runs high to low, for aria-sort. */
  descending: boolean;
  selected: number;
  linkProps: (index: number) => object;
  tableRef: RefObject<HTMLTableElement | null>;
}) {
  const columns: Column[] = [
    { label: 'Patient', sort: 'name' },
    { label: 'MRN' },
    { label: 'Age' },
    { label: 'Priority', sort: 'priority' },
    { label: 'Status' },
    { label: 'Location' },
    { label: 'Days in hospital', sort: 'admitted' },
    { label: 'Expected discharge', sort: 'expectedDischarge' },
    { label: 'First contact' },
    { label: 'Tasks due', sort: 'tasksDue' },
    { label: 'Needs' },
    { label: 'Flags' },
    ...(showWorker ? [{ label: 'Worker' }] : []),
  ];
  return (
    <Table.ScrollContainer minWidth={1160}>
      <Table
        ref={tableRef}
        captionSide="top"
        verticalSpacing={4}
        horizontalSpacing="xs"
        fz="sm"
        highlightOnHover
        withRowBorders
      >
        <Table.Caption className={hideCaption ? classes.visuallyHidden : undefined}>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column) => (
              <Table.Th
                key={column.label}
                scope="col"
                aria-sort={column.sort === sort ? (descending ? 'descending' : 'ascending') : undefined}
              >
                {column.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item, index) => (
            <Table.Tr
              key={item.case.id}
              className={classes.row}
              data-selected={index === selected || undefined}
            >
              <Table.Td>
                <Anchor component={Link} to={`/patients/${item.patient.id}`} fw={600} {...linkProps(index)}>
                  {patientName(item.patient)}
                </Anchor>
              </Table.Td>
              <Table.Td className={classes.nowrap}>{item.patient.mrn}</Table.Td>
              <Table.Td>{item.patient.age}</Table.Td>
              <Table.Td>
                <UrgencyBadge urgency={item.case.urgency} />
                {item.case.acuity !== null && (
                  <Text span size="xs" ml={4}>
                    acuity {item.case.acuity}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <StatusBadge status={item.case.status} />
              </Table.Td>
              <Table.Td>{location(item.encounter)}</Table.Td>
              <Table.Td>{item.encounter ? item.encounter.daysSinceAdmission : '—'}</Table.Td>
              <Table.Td>
                {item.encounter?.expectedDischargeOn
                  ? formatCalendarDate(item.encounter.expectedDischargeOn)
                  : '—'}
              </Table.Td>
              <Table.Td>
                <FirstContact c={item.case} />
              </Table.Td>
              <Table.Td>{item.tasksDue}</Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <OpenNeeds count={item.openNeeds} />
                  <StalledReferrals count={item.stalledReferrals} />
                </Group>
              </Table.Td>
              <Table.Td miw={150}>
                <FlagBadges kinds={item.flags} size="xs" />
              </Table.Td>
              {showWorker && <Table.Td>{item.assignee?.displayName ?? 'Unassigned'}</Table.Td>}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
