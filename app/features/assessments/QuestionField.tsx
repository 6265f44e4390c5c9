import { Checkbox, Group, Kbd, Radio, Stack } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import classes from './assessments.module.css';
import { keyForOption, optionForKey, type Question } from './questionnaire.ts';

/** Focuses a question's chosen option, or its first; answers whether there was one to focus. */
export function focusQuestion(linkId: string): boolean {
  const wrapper = document.querySelector<HTMLElement>(`[data-question="${CSS.escape(linkId)}"]`);
  const target =
    wrapper?.querySelector<HTMLInputElement>('input:checked') ??
    wrapper?.querySelector<HTMLInputElement>('input');
  target?.focus();
  return Boolean(target);
}

/**
 * One question as a radio group (one answer) or checkbox group (several): Tab reaches it, arrow keys move
 * between options, a number key picks an option, Enter goes on to the next question (`onEnter`).
 */
export function QuestionField({
  question,
  number,
  value,
  onChange,
  onEnter,
  error,
  showKeys = false,
  large = false,
}: {
  question: Question;
  /** Its number as shown: "3." */
  number: number;
  value: string[];
  onChange: (codes: string[]) => void;
  onEnter?: () => void;
  error?: string | undefined;
  showKeys?: boolean;
  /** Touch-sized options for the patient's tablet. */
  large?: boolean;
}) {
  const label = `${number}. ${question.text}`;
  const size = large ? 'lg' : 'md';

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!(event.target instanceof HTMLInputElement) || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Enter') {
      event.preventDefault();
      onEnter?.();
      return;
    }
    const option = optionForKey(question, event.key);
    if (!option) return;
    event.preventDefault();
    if (question.repeats) {
      onChange(
        value.includes(option.code) ? value.filter((c) => c !== option.code) : [...value, option.code],
      );
    } else {
      onChange([option.code]);
    }
    // Keep focus on the picked option, so that arrow keys go on from there.
    event.currentTarget.querySelector<HTMLInputElement>(`input[value="${CSS.escape(option.code)}"]`)?.focus();
  }

  const optionLabel = (index: number, text: string) => {
    const key = showKeys ? keyForOption(question, index) : null;
    return key === null ? (
      text
    ) : (
      <Group component="span" gap={8} wrap="nowrap" align="baseline">
        <Kbd size="xs" aria-hidden>
          {key}
        </Kbd>
        <span>{text}</span>
      </Group>
    );
  };
  const gap = large ? 'md' : 6;
  const optionClasses = large
    ? { body: classes.optionBody, labelWrapper: classes.optionLabelWrapper, label: classes.optionLabel }
    : undefined;

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: keys bubble up from the options' own inputs
    <div data-question={question.linkId} onKeyDown={onKeyDown}>
      {question.repeats ? (
        <Checkbox.Group
          label={label}
          description={large ? undefined : 'Choose all that apply'}
          value={value}
          onChange={onChange}
          error={error}
          withAsterisk={question.required}
          size={size}
        >
          <Stack gap={gap} mt="xs">
            {question.options.map((o, i) => (
              <Checkbox
                key={o.code}
                value={o.code}
                label={optionLabel(i, o.label)}
                size={size}
                classNames={optionClasses}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      ) : (
        <Radio.Group
          label={label}
          value={value[0] ?? ''}
          onChange={(code) => onChange(code ? [code] : [])}
          error={error}
          withAsterisk={question.required}
          size={size}
        >
          <Stack gap={gap} mt="xs">
            {question.options.map((o, i) => (
              <Radio
                key={o.code}
                value={o.code}
                label={optionLabel(i, o.label)}
                size={size}
                classNames={optionClasses}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
    </div>
  );
}
