import {
  Alert,
  Button,
  Checkbox,
  Grid,
  Group,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { MAX_SEND_RATE_PER_MINUTE } from '../../../domain/newsletter.ts';
import {
  NewsletterIssueUpdateRequest,
  type NewsletterIssueView,
  type NewsletterListView,
} from '../../../domain/schemas/newsletter.ts';
import { ApiError, api } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { describeProblem, ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ImageUpload } from './ImageUpload.tsx';
import { IssuePreview } from './IssuePreview.tsx';
import { issueKey, issueListKey, subscribersText } from './issue-labels.ts';
import { LISTS_KEY } from './ListsEditor.tsx';
import { SendPanel } from './SendPanel.tsx';

type Values = Pick<NewsletterIssueView, 'subject' | 'bodyMarkdown' | 'listIds' | 'ratePerMinute'>;

const valuesOf = (issue: Values): Values => ({
  subject: issue.subject,
  bodyMarkdown: issue.bodyMarkdown,
  listIds: [...issue.listIds],
  ratePerMinute: issue.ratePerMinute,
});
const same = (a: Values, b: Values) => JSON.stringify(valuesOf(a)) === JSON.stringify(valuesOf(b));

/** A draft: its text with a live preview, its lists and pace; a test to oneself; sending now or later. */
export function IssueEditor({ issue, onReload }: { issue: NewsletterIssueView; onReload: () => void }) {
  const queryClient = useQueryClient();
  const lists = useQuery({
    queryKey: LISTS_KEY,
    queryFn: () => api.get<NewsletterListView[]>('/api/newsletter/lists'),
  });
  const [values, setValues] = useState<Values>(() => valuesOf(issue));
  const [saved, setSaved] = useState<Values>(() => valuesOf(issue));
  const [version, setVersion] = useState(issue.version);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [notice, setNotice] = useState<string | null>(null);
  const body = useRef<HTMLTextAreaElement>(null);
  const dirty = !same(values, saved);

  const save = useMutation({
    mutationFn: (request: NewsletterIssueUpdateRequest) =>
      api.put<NewsletterIssueView>(`/api/newsletter/issues/${issue.id}`, request),
    onSuccess: async (next, request) => {
      setVersion(next.version);
      setSaved(valuesOf(next));
      // What the server normalised (a trimmed subject) replaces what was typed, unless typing went on.
      setValues((current) => (same(current, { ...request }) ? valuesOf(next) : current));
      queryClient.setQueryData(issueKey(next.id), next);
      await queryClient.invalidateQueries({ queryKey: issueListKey });
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const stale = save.error instanceof ApiError && save.error.status === 409;

  /** Saves unsaved changes first; the issue as the server has it, or null when it could not be saved. */
  async function saveNow(): Promise<NewsletterIssueView | null> {
    if (!dirty) {
      const current = queryClient.getQueryData<NewsletterIssueView>(issueKey(issue.id)) ?? issue;
      return { ...current, version };
    }
    const checked = checkWith(NewsletterIssueUpdateRequest, { ...values, version });
    if (!checked.ok) {
      setErrors(checked.errors);
      return null;
    }
    setErrors({});
    try {
      return await save.mutateAsync(checked.data);
    } catch {
      return null;
    }
  }

  const listName = (id: string) => lists.data?.find((l) => l.id === id)?.name ?? 'a list no longer known';
  const offered = (lists.data ?? []).filter((l) => !l.retiredAt || values.listIds.includes(l.id));

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setNotice(null);
    setValues((v) => ({ ...v, [key]: value }));
  };

  /** Puts the image's markdown where the cursor was in the text, on a line of its own. */
  function insertAtCursor(markdown: string) {
    const text = values.bodyMarkdown;
    const start = body.current?.selectionStart ?? text.length;
    const end = body.current?.selectionEnd ?? start;
    const before = text.slice(0, start);
    const lead = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    const inserted = `${lead}${markdown}\n\n`;
    set('bodyMarkdown', before + inserted + text.slice(end));
    setNotice('The image is in the text.');
    const caret = start + inserted.length;
    requestAnimationFrame(() => {
      body.current?.focus();
      body.current?.setSelectionRange(caret, caret);
    });
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await saveNow()) setNotice('Issue saved.');
  }

  return (
    <Stack>
      {stale && (
        <Alert color="orange" role="alert" title="Not saved: this issue changed">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              {describeProblem(save.error)} Your text is still in the form: copy what you want to keep, then
              load the latest version.
            </Text>
            <Button size="xs" variant="light" color="orange" onClick={onReload}>
              Load the latest version
            </Button>
          </Stack>
        </Alert>
      )}
      <ProblemAlert error={save.error && !stale && Object.keys(errors).length === 0 ? save.error : null} />
      <Grid>
        <Grid.Col span={{ base: 12, xl: 5 }}>
          <Stack>
            <form onSubmit={submit} noValidate aria-labelledby="issue-editor-heading">
              <Stack gap="sm">
                <Title order={2} size="h4" id="issue-editor-heading">
                  Write the issue
                </Title>
                <TextInput
                  label="Subject"
                  required
                  value={values.subject}
                  error={errors.subject}
                  onChange={(e) => set('subject', e.currentTarget.value)}
                />
                <Textarea
                  ref={body}
                  label="Text (markdown)"
                  description="## heading, **bold**, *italic*, - list, [link](https://…), ![image](https://…). HTML is not allowed."
                  autosize
                  minRows={12}
                  maxRows={30}
                  ff="monospace"
                  value={values.bodyMarkdown}
                  error={errors.bodyMarkdown}
                  onChange={(e) => set('bodyMarkdown', e.currentTarget.value)}
                />
                <ImageUpload onUploaded={insertAtCursor} />
                <Checkbox.Group
                  label="Lists"
                  description="The issue goes to the people subscribed to any of the lists chosen"
                  value={values.listIds}
                  error={errors.listIds}
                  onChange={(ids) => set('listIds', ids)}
                >
                  <Stack gap={6} mt="xs">
                    {offered.map((l) => (
                      <Checkbox
                        key={l.id}
                        value={l.id}
                        label={`${l.name} (${subscribersText(l.subscribers)})${l.retiredAt ? ', retired' : ''}`}
                      />
                    ))}
                  </Stack>
                </Checkbox.Group>
                <NumberInput
                  label="Send rate (messages a minute)"
                  description="Lower it if the mail server limits how fast it accepts mail"
                  min={1}
                  max={MAX_SEND_RATE_PER_MINUTE}
                  allowDecimal={false}
                  thousandSeparator=","
                  w={260}
                  value={values.ratePerMinute}
                  error={errors.ratePerMinute}
                  onChange={(v) => set('ratePerMinute', typeof v === 'number' ? v : Number(v) || 0)}
                />
                <Group>
                  <Button type="submit" loading={save.isPending}>
                    Save draft
                  </Button>
                  <Text size="sm" c="dimmed">
                    {dirty ? 'Unsaved changes' : `Saved (version ${version})`}
                  </Text>
                </Group>
              </Stack>
            </form>
            <Text role="status" size="sm" fw={notice ? 600 : undefined}>
              {notice}
            </Text>
            <SendPanel
              issue={issue}
              saveNow={saveNow}
              listName={listName}
              onNoLists={() => setErrors({ listIds: 'Choose at least one list to send to' })}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, xl: 7 }}>
          <IssuePreview issueId={issue.id} subject={values.subject} bodyMarkdown={values.bodyMarkdown} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
