import { Button, type ButtonProps } from '@mantine/core';
import { IconPrinter } from '@tabler/icons-react';
import { Link } from 'react-router';

/** Where the handout page for these services (and referrals) is. */
export function handoutPath(patientId: string, serviceIds: string[], referralIds: string[] = []): string {
  const query = [
    serviceIds.length ? `serviceIds=${serviceIds.join(',')}` : '',
    referralIds.length ? `referralIds=${referralIds.join(',')}` : '',
  ]
    .filter(Boolean)
    .join('&');
  return `/patients/${patientId}/resource-handout?${query}`;
}

/**
 * Opens the "Your resources" handout for the patient (print or PDF, in their language) listing these
 * services, or the services of these referrals. Disabled until there is something to list.
 */
export function HandoutButton({
  patientId,
  serviceIds,
  referralIds = [],
  label = 'Handout for the patient',
  ...button
}: {
  patientId: string;
  serviceIds: string[];
  referralIds?: string[];
  label?: string;
} & ButtonProps) {
  const icon = <IconPrinter size={16} aria-hidden />;
  if (serviceIds.length === 0 && referralIds.length === 0) {
    return (
      <Button variant="default" leftSection={icon} disabled {...button}>
        {label}
      </Button>
    );
  }
  return (
    <Button
      component={Link}
      to={handoutPath(patientId, serviceIds, referralIds)}
      variant="default"
      leftSection={icon}
      {...button}
    >
      {label}
    </Button>
  );
}
