import { Button, Group, MultiSelect, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { ROLE_LABELS, type Role } from '../../../domain/roles.ts';
import {
  MESSAGE_BODY_MAX,
  MESSAGE_MENTIONS_MAX,
  type Message,
  MessageCreateRequest,
} from '../../../domain/schemas/messages.ts';
import { api } from '../../api/client.ts';
import type { CareTeamMember } from '../../api/types.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';

/** The server names a refused mention by its position (`mentions.2`); say who it was. */
function mentionError(errors: FieldErrors, chosen: string[], team: CareTeamMember[]): string | undefined {
  const messages = Object.entries(errors)
    .filter(([field]) => field === 'mentions' || field.startsWith('mentions.'))
    .map(([field, message]) => {
      const userId = chosen[Number(field.split('.')[1])];
      const name = team.find((m) => m.userId === userId)?.displayName;
      return name ? `${name} ${message}` : message;
    });
  return messages.length ? messages.join('; ') : undefined;
}

/**
 * A new thread (with a subject) or a reply to one. "Notify" picks colleagues of the care team: only they
 * get a notification, which names the author but never the patient.
 */
export function MessageComposer({
  patientId,
  careTeam,
  selfId,
  threadId,
  threadSubject,
  onDone,
}: {
  patientId: string;
  careTeam: CareTeamMember[];
  selfId: string;
  threadId?: string;
  threadSubject?: string;
  /** Called after sending (true) or on cancel (false). */
  onDone: (sent: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const id = useId();
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [mentions, setMentions] = useState<string[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const subjectRef = useRef<HTMLInputElement>(null);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  // The composer opens on the user's request: take them to its first field.
  useEffect(() => {
    (subjectRef.current ?? bodyRef.current)?.focus();
  }, []);
  const send = useMutation({
    mutationFn: (request: unknown) => api.post<Message>(`/api/patients/${patientId}/messages`, request),
    onSuccess: async () => {
      setSubject('');
      setBody('');
      setMentions([]);
      setErrors({});
      await queryClient.invalidateQueries({ queryKey: ['patients', patientId, 'messages'] });
      onDone(true);
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const colleagues = careTeam
    .filter((m) => m.userId !== selfId)
    .map((m) => ({
      value: m.userId,
      label: `${m.displayName} (${ROLE_LABELS[m.role as Role] ?? m.role})`,
    }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const request = threadId ? { threadId, body, mentions } : { subject, body, mentions };
    const checked = checkWith(MessageCreateRequest, request);
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    send.mutate(checked.data);
  }

  const isReply = Boolean(threadId);
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-label={isReply ? `Reply to ${threadSubject ?? 'the thread'}` : 'Start a message thread'}
    >
      <Stack gap="sm">
        {!isReply && (
          <TextInput
            id={`${id}-subject`}
            ref={subjectRef}
            label="Subject"
            required
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            error={errors.subject}
            maxLength={200}
          />
        )}
        <Textarea
          id={`${id}-body`}
          ref={bodyRef}
          label={isReply ? 'Reply' : 'Message'}
          required
          autosize
          minRows={3}
          maxRows={12}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          error={errors.body}
          description={`${body.length} of ${MESSAGE_BODY_MAX} characters. Staff only: the patient does not see messages.`}
        />
        <MultiSelect
          id={`${id}-notify`}
          label="Notify"
          description={
            colleagues.length
              ? 'Colleagues on the care team who get a notification about this message'
              : 'No one else is on the care team to notify'
          }
          disabled={colleagues.length === 0}
          // Inside the page's landmarks, so the open list is announced where the field is.
          comboboxProps={{ withinPortal: false }}
          data={colleagues}
          value={mentions}
          onChange={setMentions}
          searchable
          clearable
          maxValues={MESSAGE_MENTIONS_MAX}
          nothingFoundMessage="No one on the care team matches"
          error={mentionError(errors, mentions, careTeam)}
        />
        <Group>
          <Button type="submit" loading={send.isPending}>
            {isReply ? 'Send reply' : 'Send message'}
          </Button>
          <Button variant="default" onClick={() => onDone(false)}>
            Cancel
          </Button>
        </Group>
        <ProblemAlert error={send.error && Object.keys(errors).length === 0 ? send.error : null} />
      </Stack>
    </form>
  );
}
