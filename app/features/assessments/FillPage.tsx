import { Alert, Button, Center, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import type { AssessmentLanguage } from '../../../domain/assessments.ts';
import type { Questionnaire } from '../../../domain/instruments/fhir.ts';
import { ApiError, api } from '../../api/client.ts';
import { AnswerProgress } from './AnswerProgress.tsx';
import { placeErrors } from './field-errors.ts';
import { focusQuestion, QuestionField } from './QuestionField.tsx';
import {
  answersFromResponse,
  enabledLinkIds,
  type FormAnswers,
  introOf,
  missingRequired,
  progressOf,
  questionsOf,
  toResponse,
  withAnswer,
} from './questionnaire.ts';
import type { FillView } from './types.ts';
import { useAutosave } from './use-autosave.ts';

/** Everything the patient reads besides the questions, in their language. */
const WORDS = {
  en: {
    heading: 'Questions for you',
    progress: (answered: number, total: number) => `${answered} of ${total} answered`,
    instructions: 'Choose the answer that fits you best. Your answers are saved as you go.',
    submit: 'Submit my answers',
    answer: 'Please answer this question.',
    unanswered: 'Please answer every question before you submit.',
    thanksTitle: 'Thank you',
    thanks: 'Thank you — please hand the device back.',
    spent: 'This page is closed. Please hand the device back.',
    signedIn: 'A staff member is still signed in on this device. Please hand the device back.',
    failed: 'Something went wrong. Please hand the device back.',
    notSaved: 'Your last answer could not be saved. Please try again.',
    loading: 'Loading…',
  },
  es: {
    heading: 'Preguntas para usted',
    progress: (answered: number, total: number) => `${answered} de ${total} respondidas`,
    instructions: 'Elija la respuesta que mejor le describa. Sus respuestas se guardan a medida que avanza.',
    submit: 'Enviar mis respuestas',
    answer: 'Por favor, responda esta pregunta.',
    unanswered: 'Por favor, responda todas las preguntas antes de enviar.',
    thanksTitle: 'Gracias',
    thanks: 'Gracias. Por favor, devuelva el dispositivo.',
    spent: 'Esta página está cerrada. Por favor, devuelva el dispositivo.',
    signedIn:
      'Hay un miembro del personal con la sesión abierta en este dispositivo. Por favor, devuelva el dispositivo.',
    failed: 'Algo salió mal. Por favor, devuelva el dispositivo.',
    notSaved: 'Su última respuesta no se pudo guardar. Por favor, inténtelo de nuevo.',
    loading: 'Cargando…',
  },
} satisfies Record<AssessmentLanguage, unknown>;

/** The page's language on <html>, so that the tablet reads the questions aloud in it. */
function useDocumentLanguage(lang: string, title: string) {
  useEffect(() => {
    const html = document.documentElement;
    const before = html.lang;
    html.lang = lang;
    document.title = title;
    return () => {
      html.lang = before;
    };
  }, [lang, title]);
}

/** The locked page: no way back to the questions, nothing about the result. */
function Locked({
  lang,
  title,
  message,
}: {
  lang: AssessmentLanguage | null;
  title: string;
  message: string;
}) {
  useDocumentLanguage(lang ?? 'en', title);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Center component="main" id="main" mih="100vh" p="md">
      <Paper withBorder p="xl" maw={560}>
        <Stack>
          <Title order={1} ref={heading} tabIndex={-1}>
            {title}
          </Title>
          <Text size="xl">{message}</Text>
        </Stack>
      </Paper>
    </Center>
  );
}

/** A link that does not open: the patient cannot tell why, and neither language is known. */
function Unavailable({ error }: { error: unknown }) {
  const signedIn = error instanceof ApiError && error.status === 403 && error.is('csrf');
  const spent = error instanceof ApiError && [404, 410].includes(error.status);
  const pick = (lang: AssessmentLanguage) =>
    signedIn ? WORDS[lang].signedIn : spent ? WORDS[lang].spent : WORDS[lang].failed;
  return <Locked lang={null} title="Kith" message={`${pick('en')} ${pick('es')}`} />;
}

function FillForm({ token, view, onDone }: { token: string; view: FillView; onDone: () => void }) {
  const lang = view.language;
  const words = WORDS[lang];
  const questionnaire = view.questionnaire as unknown as Questionnaire;
  const questions = useMemo(() => questionsOf(questionnaire, lang), [questionnaire, lang]);
  const [answers, setAnswers] = useState<FormAnswers>(() => answersFromResponse(view.response));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const submitRef = useRef<HTMLButtonElement>(null);
  const response = useMemo(() => toResponse(questionnaire, answers), [questionnaire, answers]);
  const enabled = enabledLinkIds(questions, answers);
  const asked = questions.filter((q) => enabled.has(q.linkId));
  const progress = progressOf(questions, answers);
  const intro = view.intro ?? introOf(questionnaire, lang);
  useDocumentLanguage(lang, view.title);

  const autosave = useAutosave({
    payload: response,
    version: 1,
    enabled: true,
    delay: 600,
    onConflict: onDone,
    save: async (body) => {
      await api.put(`/api/fill/${encodeURIComponent(token)}`, { response: body });
      return { version: 1 };
    },
  });
  const submit = useMutation({
    mutationFn: async () => {
      await autosave.stop();
      await api.post(`/api/fill/${encodeURIComponent(token)}/submit`, {
        response: toResponse(questionnaire, answers, 'completed'),
      });
    },
    onSuccess: onDone,
    onError: autosave.resume,
  });
  const placed = placeErrors(
    submit.error,
    questions.map((q) => q.linkId),
  );
  const errors: Record<string, string> = {
    ...Object.fromEntries(Object.keys(placed.byField).map((k) => [k, words.answer])),
    ...missing,
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the page opens
  useEffect(() => {
    const first = asked.find((q) => !answers[q.linkId]?.length);
    if (first) focusQuestion(first.linkId);
  }, []);

  // The link expired or was taken back while the patient answered: lock the page.
  const closed = [autosave.error, submit.error].some(
    (e) => e instanceof ApiError && (e.status === 404 || e.status === 410),
  );
  if (closed) return <Locked lang={lang} title={view.title} message={words.spent} />;

  function send(event: FormEvent) {
    event.preventDefault();
    const unanswered = missingRequired(questions, answers);
    setMissing(Object.fromEntries(unanswered.map((linkId) => [linkId, words.answer])));
    if (unanswered[0]) {
      focusQuestion(unanswered[0]);
      return;
    }
    submit.mutate();
  }

  function next(linkId: string) {
    const following = asked[asked.findIndex((q) => q.linkId === linkId) + 1];
    if (following) focusQuestion(following.linkId);
    else submitRef.current?.focus();
  }

  return (
    <Container component="main" id="main" size="sm" py="xl">
      <Stack gap="lg">
        <Stack gap={4}>
          <Title order={1}>{words.heading}</Title>
          {/* The instrument's name is served in English only. */}
          <Text size="sm" lang="en">
            {view.title}
          </Text>
        </Stack>
        {intro && (
          <Text size="xl" fw={600}>
            {intro}
          </Text>
        )}
        <Text size="lg">{words.instructions}</Text>
        <AnswerProgress
          answered={progress.answered}
          total={progress.total}
          label={words.progress(progress.answered, progress.total)}
        />
        <form onSubmit={send} noValidate aria-label={view.title}>
          <Stack gap="xl">
            {asked.map((q, index) => (
              <QuestionField
                key={q.linkId}
                question={q}
                number={index + 1}
                value={answers[q.linkId] ?? []}
                onChange={(codes) => {
                  setAnswers((current) => withAnswer(current, q.linkId, codes));
                  if (missing[q.linkId]) setMissing(({ [q.linkId]: _, ...rest }) => rest);
                }}
                onEnter={() => next(q.linkId)}
                error={errors[q.linkId]}
                large
              />
            ))}
            {Object.keys(errors).length > 0 && (
              <Alert color="red" role="alert">
                {words.unanswered}
              </Alert>
            )}
            {(autosave.error || (submit.error && Object.keys(placed.byField).length === 0)) && (
              <Alert color="red" role="alert">
                {autosave.error ? words.notSaved : words.failed}
              </Alert>
            )}
            <Button ref={submitRef} type="submit" size="xl" loading={submit.isPending}>
              {words.submit}
            </Button>
          </Stack>
        </form>
      </Stack>
    </Container>
  );
}

/**
 * The patient's page at /fill/:token, outside the signed-in app: only the questions, in the patient's
 * language, saved as they go; submitting locks it ("please hand the device back"). It never shows a score.
 */
export function FillPage() {
  const { token = '' } = useParams();
  const queryClient = useQueryClient();
  // The language of the page that was submitted: the locked page keeps it once the questions are gone.
  const [doneIn, setDoneIn] = useState<AssessmentLanguage | null>(null);
  const view = useQuery({
    queryKey: ['fill', token],
    queryFn: () => api.get<FillView>(`/api/fill/${encodeURIComponent(token)}`),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    enabled: doneIn === null,
  });
  if (doneIn)
    return <Locked lang={doneIn} title={WORDS[doneIn].thanksTitle} message={WORDS[doneIn].thanks} />;
  if (view.error) return <Unavailable error={view.error} />;
  if (!view.data)
    return (
      <Center component="main" id="main" mih="100vh" role="status">
        {WORDS.en.loading}
      </Center>
    );
  const lang = view.data.language;
  if (view.data.status === 'done')
    return <Locked lang={lang} title={WORDS[lang].thanksTitle} message={WORDS[lang].thanks} />;
  return (
    <FillForm
      token={token}
      view={view.data}
      onDone={() => {
        setDoneIn(lang);
        // Nothing of the answers stays in the page once it is locked.
        queryClient.removeQueries({ queryKey: ['fill', token] });
      }}
    />
  );
}
