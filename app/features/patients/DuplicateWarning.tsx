import { Alert, Anchor, Button, Group, List, Stack, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { DUPLICATE_REASONS } from '../../../domain/schemas/patients.ts';
import { formatCalendarDate } from '../../components/dates.ts';
import type { DuplicateCandidate } from './types.ts';

/**
 * Shown before a registration is saved when the organisation may already know the person: the matches (by
 * identifiers only), why each matched, a way to open each, and an explicit "not the same person".
 */
export function DuplicateWarning(props: {
  candidates: DuplicateCandidate[];
  busy: boolean;
  onConfirmNew: () => void;
  onBack: () => void;
}) {
  const count = props.candidates.length;
  const ref = useRef<HTMLDivElement>(null);
  // The warning appears above a long form: bring it into view and to the screen reader.
  useEffect(() => ref.current?.focus(), []);
  return (
    <Alert
      ref={ref}
      tabIndex={-1}
      color="orange"
      variant="light"
      role="alert"
      title={count === 1 ? 'This patient may already be registered' : `${count} records may be this patient`}
    >
      <Stack gap="sm">
        <Text size="sm">
          Check the record before you register someone new: a second record splits their history.
        </Text>
        <List spacing="xs" size="sm">
          {props.candidates.map((c) => (
            <List.Item key={c.id}>
              {c.mayOpen ? (
                <>
                  <Anchor
                    component={Link}
                    to={`/patients/${c.id}`}
                    target="_blank"
                    rel="noopener"
                    c="blue.9"
                    fw={600}
                  >
                    {c.familyName}, {c.givenName}
                  </Anchor>{' '}
                  · born {c.birthDate ? formatCalendarDate(c.birthDate) : '—'} · MRN {c.mrn}
                </>
              ) : (
                <>
                  A record outside your care teams{c.mrn ? ` (MRN ${c.mrn})` : ''}: ask a supervisor to check
                  it before registering
                </>
              )}
              <Text size="xs" component="span" display="block">
                {c.reasons.map((r) => DUPLICATE_REASONS[r]).join('; ')}
              </Text>
            </List.Item>
          ))}
        </List>
        <Group>
          <Button variant="default" onClick={props.onBack}>
            Back to the form
          </Button>
          <Button onClick={props.onConfirmNew} loading={props.busy}>
            Not the same person: register anyway
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
