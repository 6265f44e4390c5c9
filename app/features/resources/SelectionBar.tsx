import { Button, CloseButton, Group, Paper, Text } from '@mantine/core';
import classes from './resources.module.css';
import { MAX_SELECTED, referActionComponent, selectionKey, useServiceSelection } from './selection.ts';

/**
 * The services ticked for a referral, each removable, with the referrals feature's action beside them (see
 * `registerReferAction`). Nothing when none is ticked.
 */
export function SelectionBar({ patientId, needId }: { patientId: string | null; needId: string | null }) {
  const selection = useServiceSelection();
  const ReferAction = referActionComponent();
  if (selection.selected.length === 0) return null;
  const count = selection.selected.length;
  return (
    <Paper
      component="section"
      aria-label="Selected for referral"
      withBorder
      shadow="sm"
      p="sm"
      className={classes.selectionBar}
    >
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" fw={600}>
            {count} selected{count >= MAX_SELECTED ? ` (the most one referral takes)` : ''}:
          </Text>
          {selection.selected.map((s) => (
            <Group key={selectionKey(s)} gap={2} wrap="nowrap">
              <Text size="sm">{s.name}</Text>
              <CloseButton
                size="sm"
                aria-label={`Remove ${s.name} from the selection`}
                onClick={() => selection.remove(s)}
              />
            </Group>
          ))}
        </Group>
        <Group gap="xs">
          {ReferAction && (
            <ReferAction
              patientId={patientId}
              needId={needId}
              selected={selection.selected}
              clear={selection.clear}
            />
          )}
          <Button variant="default" size="sm" onClick={selection.clear}>
            Clear selection
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
