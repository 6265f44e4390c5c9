const names = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** A language tag as people say it: "es" → "Spanish", "zh-Hant" → "Traditional Chinese". */
export function languageName(tag: string): string {
  try {
    return names.of(tag) ?? tag;
  } catch {
    return tag;
  }
}
