import { Anchor, Group, Paper, Text } from '@mantine/core';
import { Link } from 'react-router';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { usePatientContext } from './use-resources.ts';

/** "Rosa Quintanilla", from the record as the API shows it. */
export const patientDisplayName = (p: { givenName: string; familyName: string }) =>
  `${p.givenName} ${p.familyName}`;

/**
 * Who the search is for, when it was opened from a chart or a need: distance is measured from their address
 * and eligibility checked against their record.
 */
export function PatientBanner({
  patientId,
  needId,
  origin,
  clearHref,
  showDistance = true,
}: {
  patientId: string;
  needId: string | null;
  origin: { zip: string; label: string } | null | undefined;
  /** The same search without the patient. */
  clearHref: string;
  /** Where distance is measured from, on pages that show distances. */
  showDistance?: boolean;
}) {
  const patient = usePatientContext(patientId);
  if (patient.error) return <ProblemAlert error={patient.error} title="The patient could not be opened" />;
  const p = patient.data;
  return (
    <Paper
      withBorder
      p="sm"
      role="note"
      aria-label="Patient"
      style={{ borderLeft: '4px solid var(--mantine-color-blue-9)' }}
    >
      <Text fw={700}>{p ? `For ${patientDisplayName(p)}` : 'For a patient'}</Text>
      <Group gap="md" wrap="wrap">
        {p && <Text size="sm">MRN {p.mrn}</Text>}
        {showDistance && (
          <Text size="sm">
            {origin
              ? `Distance from ${origin.label}`
              : p && !p.address
                ? 'No address on record: enter a ZIP code to measure distance'
                : 'Distance from the patient’s address'}
          </Text>
        )}
        <Anchor
          component={Link}
          to={needId ? `/patients/${patientId}/needs/${needId}` : `/patients/${patientId}`}
          size="sm"
        >
          {needId ? 'Back to the need' : 'Back to the chart'}
        </Anchor>
        <Anchor component={Link} to={clearHref} size="sm">
          Continue without the patient
        </Anchor>
      </Group>
    </Paper>
  );
}
