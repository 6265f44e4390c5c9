import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { SEARCH_CONFIG } from './search.docs.ts';

/**
 * The words of a directory search: each typed word as the directory's stemmed lexeme, with how many
 * documents hold it (the lexicon), and a word the directory does not hold corrected to its nearest word by
 * trigram similarity (pg_trgm `%`, served by the lexicon's trigram index).
 */

export interface SearchWord {
  typed: string;
  /** The lexeme searched for (after correction); null for a stop word. */
  lexeme: string | null;
  /** Documents holding the lexeme; 0 when neither the word nor a correction is in the directory. */
  docCount: number;
  /** The word shown for a correction ("pantry" for the lexeme "pantri"). */
  correctedTo: string | null;
}

/** At most this many words of a query count. */
const MAX_WORDS = 8;

/** The words of a typed query: letters and digits, lower case, each once. */
export function queryWords(q: string | undefined): string[] {
  if (!q) return [];
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0 && w.length <= 60);
  return [...new Set(words)].slice(0, MAX_WORDS);
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * The tenant's time zone, and each word with its lexeme, document count and correction, in one statement.
 * A correction must be at least 0.3 similar (pg_trgm's default) to the typed word or its stem; the most
 * similar wins, then the commonest.
 */
export async function analyseQuery(
  db: DbOrTx,
  organizationId: string,
  words: readonly string[],
): Promise<{ timeZone: string; words: SearchWord[] }> {
  const config = sql.raw(`'${SEARCH_CONFIG}'::regconfig`);
  const rows = rowsOf<{
    time_zone: string;
    word: string | null;
    lexeme: string | null;
    doc_count: number | null;
    fix: string | null;
    fix_count: number | null;
  }>(
    await db.execute(sql`
      with w as (
        select w.word, w.ord, (select u.lexeme from unnest(to_tsvector(${config}, w.word)) u limit 1) as lexeme
        from unnest(${sql.param(words)}::text[]) with ordinality as w(word, ord)
      )
      select o.time_zone, w.word, w.lexeme, x.doc_count, c.term as fix, c.doc_count as fix_count
      from organizations o
      left join w on true
      left join directory_search_lexicon x on x.organization_id = o.id and x.term = w.lexeme
      left join lateral (
        select y.term, y.doc_count from directory_search_lexicon y
        where x.term is null and w.lexeme is not null and y.organization_id = o.id
          and (y.term % w.lexeme or y.term % w.word)
        order by greatest(similarity(y.term, w.lexeme), similarity(y.term, w.word)) desc, y.doc_count desc, y.term
        limit 1
      ) c on true
      where o.id = ${organizationId}
      order by w.ord`),
  );
  const timeZone = rows[0]?.time_zone ?? 'UTC';
  const analysed = rows
    .filter((r) => r.word !== null)
    .map((r): SearchWord => {
      if (r.lexeme === null) return { typed: r.word!, lexeme: null, docCount: 0, correctedTo: null };
      if (r.doc_count !== null)
        return { typed: r.word!, lexeme: r.lexeme, docCount: r.doc_count, correctedTo: null };
      if (r.fix !== null)
        return { typed: r.word!, lexeme: r.fix, docCount: r.fix_count ?? 0, correctedTo: r.fix };
      return { typed: r.word!, lexeme: r.lexeme, docCount: 0, correctedTo: null };
    });
  return { timeZone, words: await spellCorrections(db, organizationId, analysed) };
}

/**
 * A correction is a stem ("pantri"); the worker is shown a word of the directory that has it ("pantry"),
 * taken from a service name or description that holds it.
 */
async function spellCorrections(
  db: DbOrTx,
  organizationId: string,
  words: SearchWord[],
): Promise<SearchWord[]> {
  const stems = words.filter((w) => w.correctedTo !== null).map((w) => w.correctedTo!);
  if (!stems.length) return words;
  const rows = rowsOf<{ stem: string; word: string | null }>(
    await db.execute(sql`
      select st.stem, (
        select x.w from (
          select s.name || ' ' || coalesce(s.description, '') as text
          from directory_search_docs d join directory_services s on s.id = d.service_id
          where d.organization_id = ${organizationId} and d.document @@ quote_literal(st.stem)::tsquery
          limit 1
        ) doc, regexp_split_to_table(lower(doc.text), '[^[:alnum:]]+') as x(w)
        where ts_lexize('english_stem', x.w) = array[st.stem]
        limit 1
      ) as word
      from unnest(${sql.param(stems)}::text[]) as st(stem)`),
  );
  const shown = new Map(rows.map((r) => [r.stem, r.word ?? r.stem]));
  return words.map((w) =>
    w.correctedTo ? { ...w, correctedTo: shown.get(w.correctedTo) ?? w.correctedTo } : w,
  );
}

/** The lexemes of the words as a tsquery text: every word must match ('food' & 'pantri'). */
export function tsqueryOf(words: readonly SearchWord[]): string {
  return [...new Set(words.filter((w) => w.lexeme).map((w) => w.lexeme!))]
    .map((l) => `'${l.replace(/'/g, "''")}'`)
    .join(' & ');
}
