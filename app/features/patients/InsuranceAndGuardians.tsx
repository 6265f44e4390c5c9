import { Anchor, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { RELATIONSHIPS, type Relationship } from '../../../domain/contacts.ts';
import { PAYER_TYPES } from '../../../domain/schemas/patients.ts';
import type { Patient } from '../../api/types.ts';

/** Who decides with or for the patient, how their care is paid for, and who their own doctor is. */
export function InsuranceAndGuardians({ patient }: { patient: Patient }) {
  const pcp = patient.primaryCareProvider;
  return (
    <Stack maw={720} gap="md">
      <section aria-labelledby="legal-representatives">
        <Title order={2} size="h4" id="legal-representatives" mb="xs">
          Legal guardian and representatives
        </Title>
        {patient.legalRepresentatives.length === 0 ? (
          <Text size="sm">
            None recorded.{' '}
            <Anchor component={Link} to={`/patients/${patient.id}/family`}>
              Family and contacts
            </Anchor>
          </Text>
        ) : (
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Role</Table.Th>
                <Table.Th scope="col">Phone</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {patient.legalRepresentatives.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>
                    {r.name} ({RELATIONSHIPS[r.relationship as Relationship]?.toLowerCase() ?? r.relationship}
                    )
                  </Table.Td>
                  <Table.Td>
                    {[
                      r.isLegalGuardian && 'Legal guardian',
                      r.isPersonalRepresentative && 'Health care agent / representative',
                    ]
                      .filter(Boolean)
                      .join(', ')}
                  </Table.Td>
                  <Table.Td>{r.phones.map((p) => p.number).join(', ') || '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="insurance">
        <Title order={2} size="h4" id="insurance" mb="xs">
          Insurance
        </Title>
        {patient.insurance.length === 0 ? (
          <Text size="sm">No coverage recorded.</Text>
        ) : (
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Kind</Table.Th>
                <Table.Th scope="col">Payer and plan</Table.Th>
                <Table.Th scope="col">Member id</Table.Th>
                <Table.Th scope="col">Group</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {patient.insurance.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: coverages have no id of their own
                <Table.Tr key={i}>
                  <Table.Td>
                    {PAYER_TYPES[c.payerType]}
                    {c.primary ? ' (primary)' : ''}
                  </Table.Td>
                  <Table.Td>{[c.payerName, c.plan].filter(Boolean).join(', ') || '—'}</Table.Td>
                  <Table.Td>{c.memberId ?? '—'}</Table.Td>
                  <Table.Td>{c.groupNumber ?? '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section aria-labelledby="primary-care">
        <Title order={2} size="h4" id="primary-care" mb="xs">
          Primary care provider
        </Title>
        <Text size="sm">
          {pcp ? [pcp.name, pcp.practice, pcp.phone].filter(Boolean).join(' · ') : 'None recorded.'}
        </Text>
      </section>
    </Stack>
  );
}
