import { describe, expect, it } from 'vitest';
import { HANDOUT_LABELS, type HoursRow, handoutLanguageOf, hoursLines } from './handout.ts';

const weekly = (byday: string | null, opensAt: string, closesAt: string): HoursRow => ({
  freq: 'WEEKLY',
  byday,
  opensAt,
  closesAt,
  description: null,
});

describe('handoutLanguageOf', () => {
  it('writes Spanish for es and its regional tags, English for en, and falls back to English otherwise', () => {
    expect(handoutLanguageOf('es')).toEqual({ language: 'es', fallback: false });
    expect(handoutLanguageOf('es-MX')).toEqual({ language: 'es', fallback: false });
    expect(handoutLanguageOf('en')).toEqual({ language: 'en', fallback: false });
    expect(handoutLanguageOf('vi')).toEqual({ language: 'en', fallback: true });
    expect(handoutLanguageOf(null)).toEqual({ language: 'en', fallback: false });
  });
});

describe('hoursLines', () => {
  const { en, es } = HANDOUT_LABELS;

  it('groups weekdays with the same hours and lists the weekend apart', () => {
    const rows = [weekly('MO,TU,WE,TH,FR', '09:00', '17:00'), weekly('SA', '10:00', '14:00')];
    expect(hoursLines(rows, en)).toEqual([
      'Monday to Friday: 9:00 AM – 5:00 PM',
      'Saturday: 10:00 AM – 2:00 PM',
    ]);
    expect(hoursLines(rows, es)).toEqual([
      'Lunes a viernes: 9:00 a.m. – 5:00 p.m.',
      'Sábado: 10:00 a.m. – 2:00 p.m.',
    ]);
  });

  it('joins days apart with the same hours, and two opening periods of one day', () => {
    const rows = [
      weekly('MO,WE,FR', '13:00', '16:00'),
      weekly('MO,WE,FR', '08:30', '11:30'),
      weekly('TU', '08:30', '11:30'),
    ];
    expect(hoursLines(rows, en)).toEqual([
      'Monday, Wednesday and Friday: 8:30 AM – 11:30 AM, 1:00 PM – 4:00 PM',
      'Tuesday: 8:30 AM – 11:30 AM',
    ]);
  });

  it('shows hours that cross midnight as they are, every day and round the clock', () => {
    expect(hoursLines([weekly('FR,SA', '22:00', '02:00')], en)).toEqual([
      'Friday and Saturday: 10:00 PM – 2:00 AM',
    ]);
    expect(hoursLines([{ ...weekly(null, '00:00', '23:59'), freq: 'DAILY' }], es)).toEqual([
      'Todos los días: Abierto las 24 horas',
    ]);
  });

  it('reads monthly days, and shows the words of a schedule without times', () => {
    const rows: HoursRow[] = [
      { freq: 'MONTHLY', byday: '1SA,-1SA', opensAt: '09:00', closesAt: '12:00', description: null },
      { freq: null, byday: null, opensAt: null, closesAt: null, description: 'By appointment' },
    ];
    expect(hoursLines(rows, en)).toEqual([
      'First Saturday of the month: 9:00 AM – 12:00 PM',
      'Last Saturday of the month: 9:00 AM – 12:00 PM',
      'By appointment',
    ]);
    expect(hoursLines(rows, es)[0]).toBe('Primer sábado del mes: 9:00 a.m. – 12:00 p.m.');
    expect(hoursLines([], en)).toEqual([]);
  });
});
