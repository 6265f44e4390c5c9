import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';

/** Where scripts/e2e.mjs's SMTP server writes what the Kith server sends, one .eml file per message. */
function mailDir(): string {
  const dir = process.env.KITH_E2E_MAIL_DIR;
  if (!dir) throw new Error('KITH_E2E_MAIL_DIR is not set: run the suite with `npm run test:e2e`');
  return dir;
}

const addressesOf = (mail: ParsedMail): string[] =>
  (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
    a.value.map((v) => v.address?.toLowerCase() ?? ''),
  );

/**
 * The messages sent to `to` (oldest first), waiting until at least `count` have arrived: mail leaves the
 * server after its transaction commits, so it may land a moment after the request that caused it.
 */
export async function mailTo(to: string, count = 1, timeoutMs = 15_000): Promise<ParsedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = (await readdir(mailDir())).filter((f) => f.endsWith('.eml')).sort();
    const parsed = await Promise.all(
      files.map(async (f) => simpleParser(await readFile(join(mailDir(), f)))),
    );
    const mine = parsed.filter((m) => addressesOf(m).includes(to.toLowerCase()));
    if (mine.length >= count) return mine;
    if (Date.now() > deadline)
      throw new Error(`no ${count > 1 ? `${count} messages` : 'message'} to ${to} arrived`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first link in a message's text that matches `pattern` (e.g. the partner's referral link). */
export function linkIn(mail: ParsedMail, pattern: RegExp): string {
  const found = (mail.text ?? '').match(new RegExp(`https?://\\S*${pattern.source}\\S*`));
  if (!found) throw new Error(`no link matching ${pattern} in “${mail.subject}”`);
  return found[0].replace(/[>).,]+$/, '');
}
