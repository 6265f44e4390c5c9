import { Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { RELATIONSHIPS, type Relationship } from '../../../domain/contacts.ts';
import { api } from '../../api/client.ts';
import { fieldErrorsOf } from '../../components/field-errors.ts';
import { languageName } from '../../components/language.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ContactForm } from './ContactForm.tsx';
import { DisclosureBadge } from './DisclosureBadge.tsx';
import type { Contact, ContactCreate, ContactList, ContactUpdate } from './types.ts';

export const contactsKey = (patientId: string) => ['patients', patientId, 'contacts'];

/** The patient's family and contacts, for any feature that shows who may be told what. */
export function useContacts(patientId: string) {
  return useQuery({
    queryKey: contactsKey(patientId),
    queryFn: () => api.get<ContactList>(`/api/patients/${patientId}/contacts`),
  });
}

const roleBadges = (c: Contact) =>
  [
    c.isLegalGuardian && 'Legal guardian',
    c.isPersonalRepresentative && 'Health care agent / representative',
    c.isPrimaryCaregiver && 'Primary caregiver',
    c.isEmergencyContact && 'Emergency contact',
  ].filter((x): x is string => Boolean(x));

function ContactCard(props: {
  contact: Contact;
  canEdit: boolean;
  onEdit: () => void;
  onRetire: () => void;
}) {
  const c = props.contact;
  const [confirming, setConfirming] = useState(false);
  return (
    <Card withBorder component="article" aria-labelledby={`contact-${c.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={3} size="h5" id={`contact-${c.id}`}>
              {c.name}
            </Title>
            <Text size="sm">
              {RELATIONSHIPS[c.relationship as Relationship] ?? c.relationship}
              {c.preferredLanguage ? ` · speaks ${languageName(c.preferredLanguage)}` : ''}
            </Text>
          </div>
          {props.canEdit && (
            <Group gap="xs">
              <Button size="xs" variant="default" onClick={props.onEdit} aria-label={`Edit ${c.name}`}>
                Edit
              </Button>
              {confirming ? (
                <>
                  <Button size="xs" color="red" onClick={props.onRetire}>
                    Remove {c.name}
                  </Button>
                  <Button size="xs" variant="subtle" onClick={() => setConfirming(false)}>
                    Keep
                  </Button>
                </>
              ) : (
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => setConfirming(true)}
                  aria-label={`Remove ${c.name}`}
                >
                  Remove
                </Button>
              )}
            </Group>
          )}
        </Group>
        <DisclosureBadge disclosure={c.disclosure} />
        {roleBadges(c).length > 0 && (
          <Group gap={4}>
            {roleBadges(c).map((role) => (
              <Badge key={role} variant="outline" color="dark" tt="none" radius="sm">
                {role}
              </Badge>
            ))}
          </Group>
        )}
        <Group gap="md">
          {c.phones.map((p) => (
            <Anchor key={`${p.use}-${p.number}`} href={`tel:${p.number.replace(/[^\d+]/g, '')}`} size="sm">
              {p.number} ({p.use})
            </Anchor>
          ))}
          {c.email && (
            <Anchor href={`mailto:${c.email}`} size="sm">
              {c.email}
            </Anchor>
          )}
          {c.phones.length === 0 && !c.email && <Text size="sm">No phone or email recorded.</Text>}
        </Group>
        {c.sharing.note && <Text size="sm">Authorisation: {c.sharing.note}</Text>}
        {c.notes && <Text size="sm">{c.notes}</Text>}
      </Stack>
    </Card>
  );
}

/** The chart's Family tab: who is around the patient and what each may be told. */
export function FamilyTab({ patientId }: { patientId: string }) {
  const queryClient = useQueryClient();
  const contacts = useContacts(patientId);
  const [editing, setEditing] = useState<Contact | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['patients', patientId] });
  const save = useMutation({
    mutationFn: (request: ContactCreate | ContactUpdate) =>
      editing && editing !== 'new'
        ? api.patch<Contact>(`/api/patients/${patientId}/contacts/${editing.id}`, request)
        : api.post<Contact>(`/api/patients/${patientId}/contacts`, request),
    onSuccess: async () => {
      setEditing(null);
      await refresh();
    },
    // Someone else changed the contact: show the current one.
    onError: () => refresh(),
  });
  const retire = useMutation({
    mutationFn: (contact: Contact) =>
      api.delete(`/api/patients/${patientId}/contacts/${contact.id}?version=${contact.version}`),
    onSettled: () => refresh(),
  });

  if (contacts.error) return <ProblemAlert error={contacts.error} />;
  if (!contacts.data) return <Text role="status">Loading family and contacts…</Text>;
  const { items, abilities } = contacts.data;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} size="h3">
          Family and contacts
        </Title>
        {abilities.update && !editing && <Button onClick={() => setEditing('new')}>Add a contact</Button>}
      </Group>
      <ProblemAlert error={save.error ?? retire.error} />
      {editing && (
        <Card withBorder>
          <ContactForm
            key={editing === 'new' ? 'new' : `${editing.id}-${editing.version}`}
            contact={editing === 'new' ? undefined : editing}
            serverErrors={fieldErrorsOf(save.error)}
            busy={save.isPending}
            onSubmit={(request) => save.mutate(request)}
            onCancel={() => {
              save.reset();
              setEditing(null);
            }}
          />
        </Card>
      )}
      {items.length === 0 && <Text>No family or other contacts recorded yet.</Text>}
      {items.map((contact) => (
        <ContactCard
          key={contact.id}
          contact={contact}
          canEdit={abilities.update}
          onEdit={() => {
            save.reset();
            setEditing(contact);
          }}
          onRetire={() => retire.mutate(contact)}
        />
      ))}
    </Stack>
  );
}
