import { Group, Input, Loader, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { ISSUE_IMAGE_MAX_BYTES, ISSUE_IMAGE_TYPES } from '../../../domain/newsletter.ts';
import type { NewsletterImageUploaded } from '../../../domain/schemas/newsletter.ts';
import { api } from '../../api/client.ts';
import { describeProblem } from '../../components/ProblemAlert.tsx';

const TYPES = ISSUE_IMAGE_TYPES as readonly string[];

/** A description and a file: the image is uploaded and `![description](url)` is handed back to insert. */
export function ImageUpload({ onUploaded }: { onUploaded: (markdown: string) => void }) {
  const inputId = useId();
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (file: File) => api.upload<NewsletterImageUploaded>('/api/newsletter/images', file),
    onSuccess: (image, file) => {
      const alt = (description.trim() || file.name.replace(/\.[^.]+$/, '')).replace(/[[\]]/g, '');
      onUploaded(`![${alt}](${image.url})`);
      setDescription('');
    },
    onError: (error) => setProblem(describeProblem(error)),
  });
  function chosen(input: HTMLInputElement) {
    const file = input.files?.[0];
    input.value = '';
    setProblem(null);
    if (!file) return;
    if (!TYPES.includes(file.type)) return setProblem('Choose a PNG, JPEG, GIF or WebP image.');
    if (file.size > ISSUE_IMAGE_MAX_BYTES)
      return setProblem('The image is larger than 2 MB: make it smaller first.');
    upload.mutate(file);
  }
  return (
    <Group align="flex-start" gap="md">
      <TextInput
        label="Image description"
        description="What the image shows, for people who cannot see it"
        w={260}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <Input.Wrapper
        id={inputId}
        label="Add an image"
        description="PNG, JPEG, GIF or WebP, up to 2 MB; it goes in where the cursor is in the text"
        error={problem}
      >
        <Group gap="xs" mt={4}>
          <input
            id={inputId}
            type="file"
            accept={ISSUE_IMAGE_TYPES.join(',')}
            aria-invalid={problem ? true : undefined}
            aria-describedby={`${problem ? `${inputId}-error ` : ''}${inputId}-description`}
            onChange={(e) => chosen(e.currentTarget)}
          />
          {upload.isPending && (
            <>
              <Loader size="xs" aria-hidden />
              <Text size="sm" role="status">
                Uploading…
              </Text>
            </>
          )}
        </Group>
      </Input.Wrapper>
    </Group>
  );
}
