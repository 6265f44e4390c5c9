import { Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ROLE_LABELS, type Role } from '../../../domain/roles.ts';
import { EnteredInErrorRequest, type Message, type MessageThread } from '../../../domain/schemas/messages.ts';
import { api } from '../../api/client.ts';
import type { CareTeamMember } from '../../api/types.ts';
import { formatDateTime } from '../../components/dates.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { MessageComposer } from './MessageComposer.tsx';

/** The author's reason, asked before a message is marked "entered in error". */
function EnteredInErrorForm({
  patientId,
  message,
  onDone,
}: {
  patientId: string;
  message: Message;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const reasonRef = useRef<HTMLInputElement>(null);
  useEffect(() => reasonRef.current?.focus(), []);
  const mark = useMutation({
    mutationFn: (request: { reason: string }) =>
      api.post<Message>(`/api/patients/${patientId}/messages/${message.id}/entered-in-error`, request),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['patients', patientId, 'messages'] });
      onDone();
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(EnteredInErrorRequest, { reason });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    mark.mutate(checked.data);
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Mark this message entered in error">
      <Group align="flex-start">
        <TextInput
          label="Why was it entered in error?"
          required
          ref={reasonRef}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          error={errors.reason}
          w={360}
        />
        <Button type="submit" color="red" mt={25} loading={mark.isPending}>
          Mark entered in error
        </Button>
        <Button variant="default" mt={25} onClick={onDone}>
          Cancel
        </Button>
      </Group>
      <ProblemAlert error={mark.error && Object.keys(errors).length === 0 ? mark.error : null} />
    </form>
  );
}

function MessageItem({ patientId, message }: { patientId: string; message: Message }) {
  const [marking, setMarking] = useState(false);
  const inError = message.enteredInError;
  return (
    <Stack component="li" gap={4} py="xs" style={{ listStyle: 'none' }}>
      <Group gap="xs" wrap="wrap">
        <Text fw={600}>{message.author.displayName}</Text>
        <Text size="sm" c="dimmed">
          {ROLE_LABELS[message.author.role as Role] ?? message.author.role}
        </Text>
        <Text size="sm" c="dimmed" component="time" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt)}
        </Text>
        {inError && (
          <Badge color="red" variant="light">
            Entered in error
          </Badge>
        )}
      </Group>
      <Text
        style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
        component={inError ? 's' : 'p'}
        td={inError ? 'line-through' : undefined}
        c={inError ? 'dimmed' : undefined}
        m={0}
      >
        {message.body}
      </Text>
      {inError && (
        <Text size="sm">
          Marked entered in error on <time dateTime={inError.at}>{formatDateTime(inError.at)}</time>:{' '}
          {inError.reason}
        </Text>
      )}
      {message.mentions.length > 0 && (
        <Text size="sm" c="dimmed">
          Notified: {message.mentions.map((m) => m.displayName).join(', ')}
        </Text>
      )}
      {message.abilities.markEnteredInError &&
        (marking ? (
          <EnteredInErrorForm patientId={patientId} message={message} onDone={() => setMarking(false)} />
        ) : (
          <Group>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => setMarking(true)}
              aria-label={`Mark your message of ${formatDateTime(message.createdAt)} entered in error`}
            >
              Entered in error…
            </Button>
          </Group>
        ))}
    </Stack>
  );
}

/** One thread: its subject as a heading, its messages oldest first, and a reply box when allowed. */
export function MessageThreadView({
  patientId,
  thread,
  careTeam,
  selfId,
  mayPost,
}: {
  patientId: string;
  thread: MessageThread;
  careTeam: CareTeamMember[];
  selfId: string;
  mayPost: boolean;
}) {
  const [replying, setReplying] = useState(false);
  const headingId = `thread-${thread.id}`;
  return (
    <Card component="section" withBorder aria-labelledby={headingId}>
      <Title order={3} id={headingId} size="h4">
        {thread.subject}
      </Title>
      <Text size="sm" c="dimmed">
        {thread.messages.length} {thread.messages.length === 1 ? 'message' : 'messages'}, last on{' '}
        <time dateTime={thread.lastActivityAt}>{formatDateTime(thread.lastActivityAt)}</time>
      </Text>
      <Stack component="ol" gap={0} p={0} m={0} mt="xs">
        {thread.messages.map((message) => (
          <MessageItem key={message.id} patientId={patientId} message={message} />
        ))}
      </Stack>
      {mayPost &&
        (replying ? (
          <Stack mt="sm">
            <MessageComposer
              patientId={patientId}
              careTeam={careTeam}
              selfId={selfId}
              threadId={thread.id}
              threadSubject={thread.subject}
              onDone={() => setReplying(false)}
            />
          </Stack>
        ) : (
          <Group mt="sm">
            <Button
              variant="light"
              size="xs"
              onClick={() => setReplying(true)}
              aria-label={`Reply to ${thread.subject}`}
            >
              Reply
            </Button>
          </Group>
        ))}
    </Card>
  );
}
