import { Alert, Anchor, Button, Group, List, Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ServiceWrite } from '../../../domain/schemas/resources.ts';
import { ApiError } from '../../api/client.ts';
import { checkWith, type FieldErrors, fieldErrorsOf } from '../../components/field-errors.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ServiceForm } from './ServiceForm.tsx';
import { emptyService, formValuesOf, type ServiceFormValues, serviceBody } from './service-form.ts';
import { useSaveService, useService } from './use-resources.ts';

const isStale = (error: unknown) =>
  error instanceof ApiError && error.status === 409 && error.is('stale-version');

/** "eligibility.maxAge: must not be …" as a line of the summary above the form. */
const summaryLine = (field: string, message: string) =>
  `${field
    .replace(/\./g, ' › ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()}: ${message}`;

/**
 * `/resources/services/new` and `/resources/services/:serviceId/edit` (admins). The form checks with the same
 * schema as the server; the server's 422 lands on the fields it names; a 409 (someone saved first) offers to
 * reload the service.
 */
export function ServiceEditPage() {
  const { serviceId } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const service = useService(serviceId);
  const [values, setValues] = useState<ServiceFormValues | null>(
    serviceId ? null : emptyService(params.get('organizationId') ?? ''),
  );
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const summaryRef = useRef<HTMLDivElement>(null);
  const save = useSaveService(serviceId, (saved) => {
    notifications.show({ message: `${saved.name} saved.`, closeButtonProps: { 'aria-label': 'Dismiss' } });
    void navigate(`/resources/services/${saved.id}`);
  });

  useEffect(() => {
    if (service.data && !values) setValues(formValuesOf(service.data));
  }, [service.data, values]);

  const stale = isStale(save.error);
  const errors: FieldErrors = { ...fieldErrorsOf(save.error), ...clientErrors };
  const errorCount = Object.keys(errors).length;
  // Move to the summary when a save is refused, so the keyboard and screen reader start there.
  useEffect(() => {
    if (errorCount > 0 || stale) summaryRef.current?.focus();
  }, [errorCount, stale]);

  async function reload() {
    const fresh = await service.refetch();
    if (fresh.data) setValues(formValuesOf(fresh.data));
    save.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!values) return;
    const body = serviceBody(values);
    const checked = checkWith(ServiceWrite, body);
    if (!checked.ok) {
      setClientErrors(checked.errors);
      return;
    }
    setClientErrors({});
    save.mutate(body);
  }

  const title = serviceId ? `Edit ${service.data?.name ?? 'service'}` : 'New service';
  const cancelTo = serviceId ? `/resources/services/${serviceId}` : '/resources';
  if (serviceId && service.error) return <ProblemAlert error={service.error} />;
  if (!values) return <Loader aria-label="Loading the service" />;

  return (
    <Stack maw={960}>
      <PageTitle>{title}</PageTitle>
      <form onSubmit={submit} noValidate aria-label={title}>
        <Stack>
          <div ref={summaryRef} tabIndex={-1}>
            {stale ? (
              <Alert color="yellow" role="alert" title="Someone else saved this service first">
                <Stack gap="xs">
                  <span>
                    It changed while you were editing. Reload it to see their changes, then make yours again
                    (what you typed here will be replaced).
                  </span>
                  <Button w="fit-content" onClick={() => void reload()} loading={service.isFetching}>
                    Reload the service
                  </Button>
                </Stack>
              </Alert>
            ) : errorCount > 0 ? (
              <Alert color="red" role="alert" title="Some fields need attention">
                <List size="sm">
                  {Object.entries(errors).map(([field, message]) => (
                    <List.Item key={field}>{summaryLine(field, message)}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : (
              <ProblemAlert error={save.error} />
            )}
          </div>
          <ServiceForm values={values} onChange={setValues} errors={errors} />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={stale}>
              {serviceId ? 'Save service' : 'Create service'}
            </Button>
            <Anchor component={Link} to={cancelTo}>
              Cancel
            </Anchor>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
