import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { languageName } from '../../components/language.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { useSignedInUser } from '../auth/session.ts';
import { assistanceLabel, describeEligibility, domainLabel, freshness, hoursByDay } from './labels.ts';
import { PatientBanner } from './PatientBanner.tsx';
import { LAST_SEARCH_KEY } from './ResourceSearch.tsx';
import classes from './resources.module.css';
import { SelectionBar } from './SelectionBar.tsx';
import { MAX_SELECTED, useServiceSelection } from './selection.ts';
import type { ServiceDetail } from './types.ts';
import { useService } from './use-resources.ts';

const STATUS_LABELS: Record<ServiceDetail['status'], string> = {
  active: 'Active',
  inactive: 'Inactive',
  defunct: 'Closed for good',
  'temporarily closed': 'Temporarily closed',
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Card withBorder component="section" aria-labelledby={id} p="sm">
      <Title order={2} size="h4" id={id} mb={6}>
        {title}
      </Title>
      {children}
    </Card>
  );
}

/** `/resources/services/:serviceId`: everything a worker tells the patient about a service before referring. */
export function ServiceDetailPage() {
  const { serviceId } = useParams();
  const [params] = useSearchParams();
  const user = useSignedInUser();
  const service = useService(serviceId);
  const selection = useServiceSelection();
  const patientId = params.get('patientId');
  const needId = params.get('needId');
  const lastSearch = sessionStorage.getItem(LAST_SEARCH_KEY);
  const backTo = `/resources${lastSearch ? `?${lastSearch}` : patientId ? `?patientId=${patientId}` : ''}`;

  if (service.isPending) return <Loader aria-label="Loading the service" />;
  if (service.error || !service.data) {
    return (
      <Stack>
        <PageTitle>Service</PageTitle>
        <ProblemAlert error={service.error} />
        <Anchor component={Link} to={backTo}>
          Back to results
        </Anchor>
      </Stack>
    );
  }
  const s = service.data;
  const wanted = params.get('locationId');
  const location = s.locations.find((l) => l.id === wanted) ?? s.locations[0] ?? null;
  const pick = { serviceId: s.id, locationId: location?.id ?? null };
  const picked = selection.isSelected(pick);
  const full = !picked && selection.selected.length >= MAX_SELECTED;
  const rules = describeEligibility(s.eligibility);
  const fresh = freshness(s.assuredDate);
  const hours = hoursByDay(s.schedules);
  const otherHours = hours.days || hours.other.length ? hours.other : s.hoursText;

  return (
    <Stack gap="sm">
      <Anchor component={Link} to={backTo} size="sm">
        Back to results
      </Anchor>
      <PageTitle
        actions={
          <Group gap="sm">
            {s.status === 'active' && (
              <Button
                variant={picked ? 'filled' : 'default'}
                aria-pressed={picked}
                disabled={full}
                onClick={() =>
                  selection.toggle({
                    ...pick,
                    name: s.name,
                    organization: { id: s.organization.id, name: s.organization.name },
                    address: location?.address ?? null,
                  })
                }
              >
                {picked ? 'Selected for referral' : 'Select for referral'}
              </Button>
            )}
            {user.role === 'admin' && (
              <Button component={Link} to={`/resources/services/${s.id}/edit`}>
                Edit
              </Button>
            )}
          </Group>
        }
      >
        {s.name}
      </PageTitle>
      {patientId && (
        <PatientBanner
          patientId={patientId}
          needId={needId}
          origin={null}
          clearHref={`/resources/services/${s.id}`}
          showDistance={false}
        />
      )}
      <SelectionBar patientId={patientId} needId={needId} />
      <Group gap="xs" wrap="wrap">
        <Text>{s.organization.name}</Text>
        {s.status !== 'active' && (
          <Badge color="red.9" variant="filled">
            {STATUS_LABELS[s.status]}
          </Badge>
        )}
        {s.assistanceKind && (
          <Badge color="violet.9" variant="filled">
            {assistanceLabel(s.assistanceKind)}
          </Badge>
        )}
        {s.domains.map((d) => (
          <Badge key={d} color="blue.1" autoContrast variant="filled">
            {domainLabel(d)}
          </Badge>
        ))}
        {!s.public && (
          <Badge color="gray.8" variant="outline">
            Staff only
          </Badge>
        )}
      </Group>
      <Text size="sm" c={fresh.stale ? 'orange.9' : 'gray.8'}>
        {fresh.text}
      </Text>
      {s.description && <Text style={{ whiteSpace: 'pre-line' }}>{s.description}</Text>}

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
        <Section title="Hours">
          {hours.days && (
            <Table fz="sm" verticalSpacing={2} withRowBorders={false} aria-label="Hours by day">
              <Table.Tbody>
                {hours.days.map((d) => (
                  <Table.Tr key={d.day}>
                    <Table.Th scope="row" fw={600} w={120}>
                      {d.day}
                    </Table.Th>
                    <Table.Td>{d.hours.join(', ')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          {otherHours.length > 0 && (
            <List size="sm">
              {otherHours.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
            </List>
          )}
          {!hours.days && otherHours.length === 0 && <Text size="sm">Hours not listed.</Text>}
          {location?.timeZone && <Text size="xs">Local time ({location.timeZone}).</Text>}
        </Section>
        <Section title="Where">
          {s.locations.length === 0 ? (
            <Text size="sm">No location listed (offered by phone or online).</Text>
          ) : (
            <List size="sm">
              {s.locations.map((l) => (
                <List.Item key={l.id}>
                  {[l.name, l.address].filter(Boolean).join(': ') || 'Location without an address'}
                  {l.id === location?.id && s.locations.length > 1 ? ' (the one chosen)' : ''}
                </List.Item>
              ))}
            </List>
          )}
        </Section>
        <Section title="Contact">
          <Stack gap={2}>
            <Text size="sm">Phone: {s.phone ?? 'not listed'}</Text>
            {s.email && <Text size="sm">Email: {s.email}</Text>}
            {s.url && (
              <Text size="sm">
                Website:{' '}
                <Anchor href={s.url} target="_blank" rel="noreferrer">
                  {s.url}
                </Anchor>
              </Text>
            )}
            <Text size="sm">
              Referrals are sent to: {s.organization.referralEmail ?? 'no referral email on file'}
            </Text>
          </Stack>
        </Section>
        <Section title="Languages">
          <Text size="sm">
            {s.languages.length > 0 ? s.languages.map(languageName).join(', ') : 'Not listed.'}
          </Text>
          {s.interpretationServices && <Text size="sm">Interpretation: {s.interpretationServices}</Text>}
        </Section>
        <Section title="Who qualifies">
          {rules.length === 0 && !s.eligibilityDescription ? (
            <Text size="sm">No eligibility rules are recorded.</Text>
          ) : (
            <List size="sm">
              {rules.map((line) => (
                <List.Item key={line}>{line}</List.Item>
              ))}
              {s.eligibilityDescription && <List.Item>{s.eligibilityDescription}</List.Item>}
            </List>
          )}
        </Section>
        <Section title="What to bring">
          {s.requiredDocuments.length > 0 ? (
            <List size="sm">
              {s.requiredDocuments.map((doc) => (
                <List.Item key={doc}>{doc}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm">No documents listed.</Text>
          )}
        </Section>
        <Section title="Cost">
          <Text size="sm">
            {s.free === true ? 'Free.' : s.free === false ? 'Fees apply.' : 'Cost not listed.'}
            {s.feesDescription ? ` ${s.feesDescription}` : ''}
          </Text>
        </Section>
        <Section title="How to apply">
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {s.applicationProcess ?? 'Not described.'}
          </Text>
        </Section>
      </SimpleGrid>
      {s.taxonomyCodes.length > 0 && (
        <Text size="xs" className={classes.label}>
          Taxonomy: <span style={{ fontWeight: 400 }}>{s.taxonomyCodes.join(', ')}</span>
        </Text>
      )}
      <Text size="xs">
        Source: {s.source} · {s.externalId}
      </Text>
    </Stack>
  );
}
