import { Anchor, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Link, NavLink, type RouteObject, useParams, useRoutes } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { ChartHeader } from '../chart/ChartHeader.tsx';
import classes from '../chart/chart.module.css';
import { type ChartTab, listChartTabs } from '../chart/chart-tabs.ts';
import { useChart } from '../chart/use-chart.ts';
import { EmergencyAccessRequest } from './EmergencyAccessRequest.tsx';

const tabPath = (patientId: string, tab: ChartTab) =>
  tab.id ? `/patients/${patientId}/${tab.id}` : `/patients/${patientId}`;

function UnknownTab({ patientId }: { patientId: string }) {
  return (
    <Text>
      This part of the chart is not available.{' '}
      <Anchor component={Link} to={`/patients/${patientId}`}>
        Back to the timeline
      </Anchor>
    </Text>
  );
}

/**
 * The patient chart at /patients/:patientId/*: the header, always visible, then the tabs that features
 * register (app/features/chart/chart-tabs.ts), each at /patients/:patientId/<tab id>, the timeline first.
 */
export function PatientPage() {
  const { patientId = '' } = useParams();
  const user = useSignedInUser();
  const queryClient = useQueryClient();
  const chart = useChart(patientId);
  const tabs = listChartTabs(user.role);
  const routes: RouteObject[] = [
    ...tabs.map(
      (tab): RouteObject =>
        tab.id
          ? { path: `${tab.id}/*`, element: <tab.element patientId={patientId} /> }
          : { index: true, element: <tab.element patientId={patientId} /> },
    ),
    { path: '*', element: <UnknownTab patientId={patientId} /> },
  ];
  const tabContent = useRoutes(routes);

  if (chart.error instanceof ApiError && chart.error.status === 403 && chart.error.is('forbidden')) {
    return (
      <EmergencyAccessRequest
        patientId={patientId}
        onGranted={() => void queryClient.invalidateQueries({ queryKey: ['patients', patientId] })}
      />
    );
  }
  if (chart.error) {
    return (
      <Stack>
        <PageTitle>Patient chart</PageTitle>
        <ProblemAlert error={chart.error} />
      </Stack>
    );
  }
  if (!chart.data) return <Text role="status">Loading the chart…</Text>;

  return (
    <Stack gap={0} key={patientId}>
      <ChartHeader chart={chart.data} />
      <nav aria-label="Chart sections" className={classes.tabs}>
        {tabs.map((tab) => (
          <NavLink key={tab.id} to={tabPath(patientId, tab)} end={tab.id === ''} className={classes.tab}>
            {tab.label}
          </NavLink>
        ))}
      </nav>
      {tabContent}
    </Stack>
  );
}
