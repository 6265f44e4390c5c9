import { Fieldset, Group, MultiSelect, NumberInput, Stack, TagsInput, Text, Textarea } from '@mantine/core';
import { PAYER_TYPES, type PayerType } from '../../../domain/schemas/patients.ts';
import type { FieldErrors } from '../../components/field-errors.ts';
import { describeEligibility } from './labels.ts';
import { errorAt, type ServiceFormValues, serviceBody } from './service-form.ts';

const PAYER_CHOICES = Object.entries(PAYER_TYPES).map(([value, label]) => ({ value, label }));

type EligibilityKeys =
  | 'maxPovertyPercent'
  | 'minAge'
  | 'maxAge'
  | 'payers'
  | 'postalCodes'
  | 'counties'
  | 'eligibilityDescription';

/**
 * The rules search checks against a patient's record (income against the poverty guideline, age, coverage,
 * where they live), with the rules read back in words as the worker will see them.
 */
export function EligibilityFields({
  values,
  set,
  errors,
}: {
  values: ServiceFormValues;
  set: <K extends EligibilityKeys>(key: K, value: ServiceFormValues[K]) => void;
  errors: FieldErrors;
}) {
  const preview = describeEligibility(serviceBody(values).eligibility);
  return (
    <Fieldset legend="Eligibility">
      <Stack gap="sm">
        <Group gap="sm" align="flex-start" wrap="wrap">
          <NumberInput
            label="Income at most (% of poverty guideline)"
            description="e.g. 200 for 200% of the federal poverty guideline"
            min={1}
            max={1000}
            allowDecimal={false}
            value={values.maxPovertyPercent}
            onChange={(v) => set('maxPovertyPercent', v)}
            error={errorAt(errors, 'eligibility.maxPovertyPercent')}
            w={300}
          />
          <NumberInput
            label="Youngest age"
            min={0}
            max={130}
            allowDecimal={false}
            value={values.minAge}
            onChange={(v) => set('minAge', v)}
            error={errorAt(errors, 'eligibility.minAge')}
            w={140}
          />
          <NumberInput
            label="Oldest age"
            min={0}
            max={130}
            allowDecimal={false}
            value={values.maxAge}
            onChange={(v) => set('maxAge', v)}
            error={errorAt(errors, 'eligibility.maxAge')}
            w={140}
          />
        </Group>
        <MultiSelect
          label="Coverage accepted"
          description="Leave empty when any coverage (or none) will do"
          data={PAYER_CHOICES}
          value={values.payers}
          onChange={(v) => set('payers', v as PayerType[])}
          error={errorAt(errors, 'eligibility.payers')}
          clearable
          maw={520}
        />
        <TagsInput
          label="Residents of ZIP codes"
          description="Five digits each; press Enter after each one"
          value={values.postalCodes}
          onChange={(v) => set('postalCodes', v.map((z) => z.trim()).filter(Boolean))}
          error={errorAt(errors, 'eligibility.postalCodes')}
          clearable
          maw={520}
        />
        <TagsInput
          label="Residents of counties"
          description="e.g. Suffolk County, MA; press Enter after each one"
          splitChars={[]}
          value={values.counties}
          onChange={(v) => set('counties', v.map((c) => c.trim()).filter(Boolean))}
          error={errorAt(errors, 'eligibility.counties')}
          clearable
          maw={520}
        />
        <Textarea
          label="Other eligibility, in words"
          description="What the rules above cannot say, e.g. “must be pregnant or have a child under 5”"
          autosize
          minRows={2}
          maxLength={4000}
          value={values.eligibilityDescription}
          onChange={(e) => set('eligibilityDescription', e.currentTarget.value)}
          error={errors.eligibilityDescription}
        />
        <Text size="sm" aria-live="polite">
          {preview.length
            ? `Workers will read: ${preview.join('; ')}.`
            : 'No machine-checked rules: anyone may apply.'}
        </Text>
        {errors.eligibility && (
          <Text size="sm" c="red.9">
            {errors.eligibility}
          </Text>
        )}
      </Stack>
    </Fieldset>
  );
}
