import { Progress, Stack, Text } from '@mantine/core';
import { useId } from 'react';

/** "7 of 9 answered", as text and as a bar. */
export function AnswerProgress({
  answered,
  total,
  label,
}: {
  answered: number;
  total: number;
  label: string;
}) {
  const id = useId();
  const percent = total === 0 ? 0 : Math.round((answered / total) * 100);
  return (
    <Stack gap={4}>
      <Text id={id} size="sm" fw={600}>
        {label}
      </Text>
      <Progress.Root size="lg" radius="xl">
        <Progress.Section
          value={percent}
          withAria={false}
          role="progressbar"
          aria-labelledby={id}
          aria-valuemin={0}
          aria-valuemax={total}
          aria-valuenow={answered}
          aria-valuetext={label}
        />
      </Progress.Root>
    </Stack>
  );
}
