import {
  Alert,
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  Loader,
  NavLink,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Navigate, NavLink as RouterNavLink, useParams } from 'react-router';
import {
  type SitePage,
  type SitePagesResponse,
  SitePageUpdateRequest,
  type SitePreviewResponse,
} from '../../../domain/schemas/site.ts';
import { ApiError, api } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import classes from './site.module.css';

const KEY = ['site', 'pages'] as const;

type Values = Pick<SitePage, 'title' | 'summary' | 'bodyMarkdown' | 'position' | 'published'>;

const valuesOf = (p: SitePage): Values => ({
  title: p.title,
  summary: p.summary,
  bodyMarkdown: p.bodyMarkdown,
  position: p.position,
  published: p.published,
});

/** Where the page is on the public site. */
const publicUrl = (siteUrl: string, page: SitePage) =>
  page.kind === 'service' ? `${siteUrl}services/${page.slug}` : `${siteUrl}${page.slug}`;

/** The markdown as the public site renders it, from the server (sanitised there), a moment after typing. */
function Preview({ title, markdown }: { title: string; markdown: string }) {
  const [settled] = useDebouncedValue(markdown, 300);
  const preview = useQuery({
    queryKey: ['site', 'preview', settled],
    queryFn: () => api.post<SitePreviewResponse>('/api/site/preview', { markdown: settled }),
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="site-preview-heading">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="site-preview-heading">
          Preview
        </Title>
        {preview.isFetching && <Loader size="xs" aria-label="Updating the preview" />}
      </Group>
      <ProblemAlert error={preview.error} />
      <Text size="xs" c="dimmed" mb="xs">
        Images from other sites show on the public site, not in this preview.
      </Text>
      <Title order={3} size="h2" mb="sm">
        {title || 'Untitled'}
      </Title>
      <div
        className={classes.preview}
        // biome-ignore lint/security/noDangerouslySetInnerHtml: rendered and sanitised by the server (server/platform/markdown.ts), the same HTML the public site serves
        dangerouslySetInnerHTML={{ __html: preview.data?.html ?? '' }}
      />
    </Paper>
  );
}

/** One page's form with a live preview; a stale version is explained, and the admin's text is kept. */
function PageEditor({ page, siteUrl, onReload }: { page: SitePage; siteUrl: string; onReload: () => void }) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<Values>(() => valuesOf(page));
  const [version, setVersion] = useState(page.version);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: SitePageUpdateRequest) => api.put<SitePage>(`/api/site/pages/${page.slug}`, body),
    onSuccess: (next) => {
      setVersion(next.version);
      setSaved(true);
      queryClient.setQueryData<SitePagesResponse>(KEY, (old) =>
        old
          ? {
              ...old,
              items: old.items
                .map((p) => (p.slug === next.slug ? next : p))
                .sort((a, b) => a.position - b.position),
            }
          : old,
      );
    },
    onError: (error) => setErrors(fieldErrorsOf(error)),
  });
  const stale = save.error instanceof ApiError && save.error.status === 409;
  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setSaved(false);
    setValues((v) => ({ ...v, [key]: value }));
  };
  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = checkWith(SitePageUpdateRequest, { ...values, version });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    save.mutate(checked.data);
  }
  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3" id="site-editor-heading">
          Edit “{page.title}”
        </Title>
        <Anchor href={publicUrl(siteUrl, page)} target="_blank" rel="noopener">
          Open on the public site (new tab)
        </Anchor>
      </Group>
      {saved && (
        <Alert color="green" role="status">
          Page saved. {values.published ? 'It is on the public site now.' : 'It is hidden from the public.'}
        </Alert>
      )}
      {stale && (
        <Alert color="orange" role="alert" title="Not saved: someone else changed this page">
          <Stack gap="xs" align="flex-start">
            <Text size="sm">
              Another admin saved this page after you opened it. Your text is still in the form: copy what you
              want to keep, then load their version and make your change again.
            </Text>
            <Button size="xs" variant="light" color="orange" onClick={onReload}>
              Load the latest version
            </Button>
          </Stack>
        </Alert>
      )}
      <ProblemAlert error={save.error && !stale && Object.keys(errors).length === 0 ? save.error : null} />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <form onSubmit={submit} noValidate aria-labelledby="site-editor-heading">
            <Stack gap="sm">
              <TextInput
                label="Title"
                required
                value={values.title}
                onChange={(e) => set('title', e.currentTarget.value)}
                error={errors.title}
              />
              <Textarea
                label="Summary"
                description="One or two sentences: the card on the home page, and what search engines show"
                autosize
                minRows={2}
                value={values.summary}
                onChange={(e) => set('summary', e.currentTarget.value)}
                error={errors.summary}
              />
              <Textarea
                label="Text (markdown)"
                description="## heading, **bold**, *italic*, - list, [link](https://…), ![image](https://…). HTML is not allowed."
                autosize
                minRows={12}
                maxRows={30}
                ff="monospace"
                value={values.bodyMarkdown}
                onChange={(e) => set('bodyMarkdown', e.currentTarget.value)}
                error={errors.bodyMarkdown}
              />
              <Group align="flex-start">
                <NumberInput
                  label="Position"
                  description="Lower comes first"
                  min={0}
                  max={1000}
                  allowDecimal={false}
                  w={160}
                  value={values.position}
                  onChange={(v) => set('position', typeof v === 'number' ? v : Number(v) || 0)}
                  error={errors.position}
                />
                <Switch
                  mt={30}
                  label="Published (shown on the public site)"
                  checked={values.published}
                  onChange={(e) => set('published', e.currentTarget.checked)}
                />
              </Group>
              <Group>
                <Button type="submit" loading={save.isPending}>
                  Save page
                </Button>
                <Text size="sm" c="dimmed">
                  {version === 0 ? 'Showing the default text' : `Version ${version}`}
                </Text>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Preview title={values.title} markdown={values.bodyMarkdown} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

/** The public site's pages: pick one, edit it with a live preview, save it. */
export function SitePagesPage() {
  const { slug } = useParams();
  const queryClient = useQueryClient();
  const [reloads, setReloads] = useState(0);
  const pages = useQuery({ queryKey: KEY, queryFn: () => api.get<SitePagesResponse>('/api/site/pages') });
  const items = pages.data?.items ?? [];
  const current = items.find((p) => p.slug === slug);
  if (pages.data && !slug && items[0]) return <Navigate to={`/admin/site/${items[0].slug}`} replace />;
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: KEY });
    setReloads((n) => n + 1);
  };
  return (
    <Stack>
      <PageTitle
        actions={
          pages.data && (
            <Anchor href={pages.data.siteUrl} target="_blank" rel="noopener">
              Open the public site (new tab)
            </Anchor>
          )
        }
      >
        Public site
      </PageTitle>
      <Text>
        The pages anyone can read without signing in: the department&apos;s services, how to ask for a social
        worker, and contacts and hours. Each page starts with a default text; what you save replaces it. The
        resource finder and the newsletter archive are filled in from the directory and the newsletter.
      </Text>
      <ProblemAlert error={pages.error} />
      {pages.isPending && <Loader aria-label="Loading the pages" />}
      {pages.data && (
        <Grid>
          <Grid.Col span={{ base: 12, md: 3 }}>
            <nav aria-label="Pages of the public site">
              {items.map((p) => (
                <NavLink
                  key={p.slug}
                  component={RouterNavLink}
                  to={`/admin/site/${p.slug}`}
                  active={p.slug === slug}
                  variant="filled"
                  label={p.title}
                  description={
                    <Group gap={4} component="span">
                      <Badge
                        size="xs"
                        variant="light"
                        color={p.customized ? 'blue' : 'gray'}
                        component="span"
                      >
                        {p.customized ? 'Edited' : 'Default text'}
                      </Badge>
                      {!p.published && (
                        <Badge size="xs" variant="light" color="orange" component="span">
                          Hidden
                        </Badge>
                      )}
                    </Group>
                  }
                />
              ))}
            </nav>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 9 }}>
            {current ? (
              <PageEditor
                key={`${current.slug}-${reloads}`}
                page={current}
                siteUrl={pages.data.siteUrl}
                onReload={reload}
              />
            ) : (
              slug && <Alert color="red">The site has no page “{slug}”.</Alert>
            )}
          </Grid.Col>
        </Grid>
      )}
    </Stack>
  );
}
