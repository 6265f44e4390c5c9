import { Button, Checkbox, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import type { FieldErrors } from '../../components/field-errors.ts';
import { clockTime, WEEK_DAYS, type WeekDay } from './labels.ts';
import { errorAt, newScheduleKey, type ScheduleDraft } from './service-form.ts';

const SHORT_DAYS: Record<WeekDay, string> = {
  MO: 'Mon',
  TU: 'Tue',
  WE: 'Wed',
  TH: 'Thu',
  FR: 'Fri',
  SA: 'Sat',
  SU: 'Sun',
};

/**
 * Opening hours as rows: the days, when it opens and when it closes. A closing time earlier than the opening
 * time runs past midnight (a shelter open 8 PM to 7 AM), and the row says so.
 */
export function ScheduleFields({
  rows,
  onChange,
  errors,
}: {
  rows: ScheduleDraft[];
  onChange: (rows: ScheduleDraft[]) => void;
  errors: FieldErrors;
}) {
  const change = (index: number, patch: Partial<ScheduleDraft>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const rowError = (index: number, field?: string) =>
    errorAt(errors, field ? `schedules.${index}.${field}` : `schedules.${index}`);
  const listError = errors.schedules;

  return (
    <Fieldset legend="Opening hours">
      <Stack gap="sm">
        {rows.length === 0 && <Text size="sm">No hours: the service shows “Hours not listed”.</Text>}
        {rows.map((row, index) => {
          const overnight = row.opensAt && row.closesAt && row.closesAt < row.opensAt;
          const label = `Hours ${index + 1}`;
          return (
            <Stack key={row.key} gap={6} role="group" aria-label={label}>
              <Checkbox.Group
                label={`${label}: days`}
                value={row.days}
                onChange={(days) => change(index, { days: days as WeekDay[] })}
                error={rowError(index, 'byday')}
              >
                <Group gap="sm" mt={4}>
                  {WEEK_DAYS.map((day) => (
                    <Checkbox key={day} value={day} label={SHORT_DAYS[day]} />
                  ))}
                </Group>
              </Checkbox.Group>
              <Group gap="sm" align="flex-start" wrap="wrap">
                <TextInput
                  type="time"
                  label="Opens"
                  value={row.opensAt}
                  onChange={(e) => change(index, { opensAt: e.currentTarget.value })}
                  error={rowError(index, 'opensAt')}
                  w={140}
                />
                <TextInput
                  type="time"
                  label="Closes"
                  value={row.closesAt}
                  onChange={(e) => change(index, { closesAt: e.currentTarget.value })}
                  error={rowError(index, 'closesAt')}
                  description={
                    overnight ? `Past midnight: until ${clockTime(row.closesAt)} the next day` : undefined
                  }
                  w={200}
                />
                <TextInput
                  label="Note"
                  placeholder="e.g. walk-ins until 3 PM"
                  value={row.description}
                  onChange={(e) => change(index, { description: e.currentTarget.value })}
                  error={rowError(index, 'description')}
                  maxLength={500}
                  w={260}
                />
                <Button
                  variant="subtle"
                  color="red"
                  mt={24}
                  onClick={() => onChange(rows.filter((_, i) => i !== index))}
                  aria-label={`Remove hours ${index + 1}`}
                >
                  Remove
                </Button>
              </Group>
            </Stack>
          );
        })}
        {listError && (
          <Text size="sm" c="red.9" role="alert">
            {listError}
          </Text>
        )}
        <Button
          variant="default"
          w="fit-content"
          onClick={() =>
            onChange([
              ...rows,
              {
                key: newScheduleKey(),
                days: ['MO', 'TU', 'WE', 'TH', 'FR'],
                opensAt: '09:00',
                closesAt: '17:00',
                description: '',
                original: null,
              },
            ])
          }
        >
          Add hours
        </Button>
      </Stack>
    </Fieldset>
  );
}
