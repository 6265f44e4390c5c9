import { Fieldset, NumberInput, SimpleGrid, Table, Text, Title } from '@mantine/core';
import type { Patient } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import type { FieldErrors } from '../../components/field-errors.ts';

const ELIGIBILITY_HELP = 'Used to check eligibility for financial assistance.';

/** The household as the form holds it: empty until recorded. */
export interface HouseholdDraft {
  size: number | '';
  income: number | '';
}

export const householdDraft = (patient?: Patient): HouseholdDraft => ({
  size: patient?.householdSize ?? '',
  income: patient?.householdIncome ?? '',
});

/** Both empty clears the household (`null`); the server's schema says when only one is filled in. */
export const householdRequest = (draft: HouseholdDraft) => ({
  householdSize: draft.size === '' ? null : draft.size,
  householdIncome: draft.income === '' ? null : draft.income,
});

const asNumber = (value: string | number): number | '' =>
  typeof value === 'number' ? value : value.trim() === '' ? '' : Number(value.replace(/[^0-9.-]/g, ''));

export function HouseholdFieldset(props: {
  value: HouseholdDraft;
  onChange: (value: HouseholdDraft) => void;
  errors: FieldErrors;
}) {
  return (
    <Fieldset legend="Household">
      <Text size="sm" c="dimmed" mb="xs">
        {ELIGIBILITY_HELP} Record both, or leave both empty.
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <NumberInput
          label="People in the household"
          description="The patient included"
          min={1}
          max={20}
          allowDecimal={false}
          allowNegative={false}
          value={props.value.size}
          onChange={(size) => props.onChange({ ...props.value, size: asNumber(size) })}
          error={props.errors.householdSize}
        />
        <NumberInput
          label="Yearly household income (US dollars)"
          description="Before tax, everyone in the household"
          min={0}
          prefix="$"
          thousandSeparator=","
          allowDecimal={false}
          allowNegative={false}
          value={props.value.income}
          onChange={(income) => props.onChange({ ...props.value, income: asNumber(income) })}
          error={props.errors.householdIncome}
        />
      </SimpleGrid>
    </Fieldset>
  );
}

const dollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});

/** The household on the Details tab, with when it was recorded. */
export function HouseholdSummary({ patient }: { patient: Patient }) {
  const recorded = patient.householdSize !== null && patient.householdIncome !== null;
  return (
    <section aria-labelledby="household" style={{ maxWidth: 720 }}>
      <Title order={2} size="h4" id="household" mb={4}>
        Household
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {ELIGIBILITY_HELP}
      </Text>
      {recorded ? (
        <Table variant="vertical" withTableBorder>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row" w={200}>
                People in the household
              </Table.Th>
              <Table.Td>{patient.householdSize}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Yearly income</Table.Th>
              <Table.Td>{dollars.format(patient.householdIncome ?? 0)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">Recorded</Table.Th>
              <Table.Td>{formatDateTime(patient.householdRecordedAt)}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm">Household size and income not recorded.</Text>
      )}
    </section>
  );
}
