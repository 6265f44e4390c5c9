import { Text } from '@mantine/core';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { registerChartTab } from '../chart/chart-tabs.ts';
import { AccessLogPanel } from './AccessLogPanel.tsx';
import { CareTeamPanel } from './CareTeamPanel.tsx';
import { PatientDetailsTab, usePatient } from './PatientDetailsTab.tsx';

function CareTeamTab({ patientId }: { patientId: string }) {
  const patient = usePatient(patientId);
  if (patient.error) return <ProblemAlert error={patient.error} />;
  if (!patient.data) return <Text role="status">Loading the care team…</Text>;
  return <CareTeamPanel patient={patient.data} />;
}

// The patient record's own parts of the chart, after the services' tabs.
registerChartTab({ id: 'details', label: 'Details', order: 80, element: PatientDetailsTab });
registerChartTab({ id: 'care-team', label: 'Care team', order: 85, element: CareTeamTab });
registerChartTab({ id: 'access-log', label: 'Access log', order: 90, element: AccessLogPanel });
