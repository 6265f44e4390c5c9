import { Alert, Anchor, Group, SimpleGrid, Stack, Text, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { CONSULT_REASONS, type ConsultReason } from '../../../domain/casework.ts';
import type { PatientChart } from '../../api/types.ts';
import { formatCalendarDate, formatDateTime, formatTime } from '../../components/dates.ts';
import { languageName } from '../../components/language.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { OverdueBadge, StatusBadge, UrgencyBadge } from '../cases/badges.tsx';
import { listChartTabs } from './chart-tabs.ts';
import { FlagBadge } from './FlagBadges.tsx';

/** One fact of the header: a term and what the chart says about it. */
function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <Text component="dt" size="xs" fw={700} tt="uppercase" c="gray.8">
        {term}
      </Text>
      <Text component="dd" size="sm" m={0}>
        {children}
      </Text>
    </div>
  );
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The patient's name as the department says it: given “preferred” family. */
export function chartName(p: PatientChart['patient']): string {
  return `${p.givenName}${p.preferredName ? ` “${p.preferredName}”` : ''} ${p.familyName}`;
}

/**
 * What a social worker must see first, on every tab of the chart: flags, language and interpreter, who
 * decides with the patient, code status, care team, where the patient is, and the open work.
 */
export function ChartHeader({ chart, actions }: { chart: PatientChart; actions?: ReactNode }) {
  const p = chart.patient;
  const e = chart.encounter;
  return (
    <Stack gap="xs">
      {chart.emergencyAccessUntil && (
        <Alert
          color="red"
          variant="filled"
          role="status"
          title={`Emergency access until ${formatTime(chart.emergencyAccessUntil)}`}
        >
          You opened this chart under emergency access. Everything you view is recorded and reviewed.
        </Alert>
      )}
      <PageTitle actions={actions}>{chartName(p)}</PageTitle>
      {chart.flags.length > 0 && (
        <Group
          component="ul"
          gap={6}
          wrap="wrap"
          aria-label="Flags"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
        >
          {chart.flags.map((flag) => (
            <li key={flag.id ?? flag.kind}>
              <FlagBadge
                kind={flag.kind}
                size="md"
                title={flag.note ?? (flag.id ? undefined : 'From the patient record')}
              />
            </li>
          ))}
        </Group>
      )}
      <Text size="sm">
        {[
          p.pronouns,
          `${p.age} years, born ${formatCalendarDate(p.birthDate)}`,
          capitalise(p.sex),
          `MRN ${p.mrn}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Text>
      <SimpleGrid component="dl" cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" verticalSpacing="xs" my={0}>
        <Fact term="Language">
          {languageName(p.preferredLanguage)}
          {p.interpreterNeeded ? ' (needs an interpreter)' : ''}
        </Fact>
        <Fact term="Guardian or agent">
          {chart.representatives.length === 0
            ? 'None recorded'
            : chart.representatives.map((r) => (
                <span key={r.id} style={{ display: 'block' }}>
                  {r.name} ({r.relationship}
                  {r.legalGuardian ? ', legal guardian' : ''}
                  {r.personalRepresentative ? ', health care agent or representative' : ''})
                  {r.phone ? ` · ${r.phone}` : ''}
                  {r.sharingAuthorized ? '' : ' · not authorised to receive information'}
                </span>
              ))}
        </Fact>
        <Fact term="Code status">
          {p.codeStatus
            ? `${p.codeStatus}${p.codeStatusRecordedAt ? ` (recorded ${formatDateTime(p.codeStatusRecordedAt)})` : ''}`
            : 'Not known'}
        </Fact>
        <Fact term="Care team">
          {chart.careTeam.length === 0
            ? 'No one yet'
            : chart.careTeam.map((m) => `${m.displayName} (${m.teamRole})`).join(', ')}
        </Fact>
        <Fact term="Location">
          {e
            ? [e.unit, e.room && `room ${e.room}`, e.bed && `bed ${e.bed}`].filter(Boolean).join(' · ') ||
              'Admitted, no unit yet'
            : 'Not in hospital'}
          {e && (
            <span style={{ display: 'block' }}>
              Admitted {formatDateTime(e.admittedAt)} ({e.daysSinceAdmission}{' '}
              {e.daysSinceAdmission === 1 ? 'day' : 'days'}) · expected discharge{' '}
              {e.expectedDischargeOn ? formatCalendarDate(e.expectedDischargeOn) : 'not set'}
            </span>
          )}
        </Fact>
        <Fact term="Open cases">
          {chart.openCases.length === 0
            ? 'None'
            : chart.openCases.map((c) => (
                <span key={c.id} style={{ display: 'block' }}>
                  <UrgencyBadge urgency={c.urgency} />{' '}
                  {CONSULT_REASONS[c.reasonCode as ConsultReason] ?? c.reasonCode}{' '}
                  <StatusBadge status={c.status} />
                  {c.assignee ? ` ${c.assignee.displayName}` : ' Unassigned'}
                  {c.firstContactOverdue && (
                    <>
                      {' '}
                      <OverdueBadge /> <VisuallyHidden>first contact</VisuallyHidden>
                    </>
                  )}
                </span>
              ))}
        </Fact>
        <Fact term="Open tasks">
          {chart.openTasks === 0 ? (
            'None'
          ) : listChartTabs().some((tab) => tab.id === 'tasks') ? (
            <Anchor component={Link} to={`/patients/${p.id}/tasks`}>
              {chart.openTasks} open
            </Anchor>
          ) : (
            `${chart.openTasks} open`
          )}
        </Fact>
      </SimpleGrid>
    </Stack>
  );
}
