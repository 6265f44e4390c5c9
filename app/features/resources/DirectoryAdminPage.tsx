import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ImportsPanel } from './ImportsPanel.tsx';
import { OrganizationDialog } from './OrganizationDialog.tsx';
import { PartnersDialog } from './PartnersDialog.tsx';
import type { DirectoryOrganization, OrganizationSummary } from './types.ts';
import { useOrganization, useOrganizations } from './use-resources.ts';

/** Opens the organisation dialog once the organisation's full record has loaded. */
function EditOrganization({ id, onClose }: { id: string; onClose: () => void }) {
  const organization = useOrganization(id);
  if (organization.error) return <ProblemAlert error={organization.error} />;
  return (
    <OrganizationDialog
      opened={Boolean(organization.data)}
      organization={organization.data ?? null}
      onClose={onClose}
    />
  );
}

/**
 * `/resources/directory` (admins): the organisations of the directory with their service counts, their referral
 * email and partner accounts, and the last imports with what they rejected.
 */
export function DirectoryAdminPage() {
  const organizations = useOrganizations();
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [partnersOf, setPartnersOf] = useState<OrganizationSummary | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastButton = useRef<HTMLElement | null>(null);

  const words = filter.trim().toLowerCase();
  const rows = (organizations.data ?? [])
    .filter((o) => !words || o.name.toLowerCase().includes(words))
    .sort((a, b) => a.name.localeCompare(b.name));

  function closed(saved?: DirectoryOrganization) {
    setCreating(false);
    setEditing(null);
    if (saved) setAnnouncement(`${saved.name} saved.`);
    requestAnimationFrame(() => lastButton.current?.focus());
  }

  return (
    <Stack gap="md">
      <PageTitle
        actions={
          <Group gap="sm">
            <Button
              onClick={(e) => {
                lastButton.current = e.currentTarget;
                setCreating(true);
              }}
            >
              New organisation
            </Button>
            <Button component={Link} to="/resources/services/new" variant="default">
              New service
            </Button>
          </Group>
        }
      >
        Directory
      </PageTitle>
      <Text size="sm" role="status" aria-live="polite">
        {announcement}
      </Text>

      <section aria-labelledby="organisations-heading">
        <Stack gap="sm">
          <Title order={2} size="h3" id="organisations-heading">
            Organisations
          </Title>
          <TextInput
            label="Find an organisation"
            value={filter}
            onChange={(e) => setFilter(e.currentTarget.value)}
            w={320}
          />
          <ProblemAlert error={organizations.error} />
          <Text size="sm" role="status" aria-live="polite">
            {organizations.data
              ? `${rows.length} ${rows.length === 1 ? 'organisation' : 'organisations'}`
              : 'Loading organisations…'}
          </Text>
          {rows.length > 0 && (
            <Table.ScrollContainer minWidth={760}>
              <Table captionSide="top" verticalSpacing="xs" withRowBorders>
                <Table.Caption>Organisations of the directory, by name</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">Organisation</Table.Th>
                    <Table.Th scope="col">Services</Table.Th>
                    <Table.Th scope="col">Referral email</Table.Th>
                    <Table.Th scope="col">Partner accounts</Table.Th>
                    <Table.Th scope="col">Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Th scope="row" fw={600}>
                        {o.name}
                      </Table.Th>
                      <Table.Td>{o.services}</Table.Td>
                      <Table.Td>
                        {o.referralEmail ?? (
                          <Text span size="sm">
                            None: referrals cannot be emailed
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{o.hasPartnerAccounts ? 'Yes' : 'No'}</Table.Td>
                      <Table.Td>
                        <Group gap="xs" wrap="nowrap">
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Edit ${o.name}`}
                            onClick={(e) => {
                              lastButton.current = e.currentTarget;
                              setEditing(o.id);
                            }}
                          >
                            Edit
                          </Button>
                          <Button
                            size="xs"
                            variant="default"
                            aria-label={`Partners of ${o.name}`}
                            onClick={(e) => {
                              lastButton.current = e.currentTarget;
                              setPartnersOf(o);
                            }}
                          >
                            Partners
                          </Button>
                          <Anchor
                            component={Link}
                            size="sm"
                            to={`/resources/services/new?organizationId=${o.id}`}
                            aria-label={`New service of ${o.name}`}
                          >
                            New service
                          </Anchor>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </section>

      <ImportsPanel />

      <OrganizationDialog opened={creating} organization={null} onClose={closed} />
      {editing && <EditOrganization id={editing} onClose={closed} />}
      <PartnersDialog
        organization={partnersOf}
        onClose={() => {
          setPartnersOf(null);
          requestAnimationFrame(() => lastButton.current?.focus());
        }}
      />
    </Stack>
  );
}
