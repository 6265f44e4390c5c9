import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

/**
 * Markdown written by admins (the public site's pages, newsletter issues) → HTML that is safe to serve.
 * Two locks, so that neither alone has to be perfect: markdown-it with `html: false` never passes raw HTML
 * through (it is shown as text) and refuses `javascript:`-like links; then sanitize-html keeps only an
 * allow-list of tags and attributes, links to http, https, mailto and tel (or a path on this site), and
 * images from http or https only. Links to other sites get `rel="noopener noreferrer"`.
 */

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
// "www.benefits.gov" and "help@hospital.org" in a sentence become links too.
md.linkify.set({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: false });

const ALLOWED_TAGS = [
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'em',
  'strong',
  'blockquote',
  'code',
  'pre',
  'hr',
  'br',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
];

const HTTP_URL = /^https?:\/\/[^\s/?#]+/i;
/** A link kept: to a web page, an email address, a phone number, or a path or anchor on this site. */
const KEPT_HREF = /^(https?:\/\/[^\s/?#]+|mailto:|tel:|\/(?!\/)|#)/i;

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'rel'],
    img: ['src', 'alt'],
    ol: ['start'],
  },
  allowedClasses: {},
  allowedStyles: {},
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // An image whose address was not kept (data:, relative, another scheme) is dropped, not left empty.
  exclusiveFilter: (frame) => frame.tag === 'img' && !HTTP_URL.test(frame.attribs.src ?? ''),
  transformTags: {
    // Runs before the scheme check: anything but the kept kinds of address loses its href (and stays text).
    a: (tagName, attribs): sanitizeHtml.Tag => {
      const href = attribs.href?.trim() ?? '';
      const kept: sanitizeHtml.Attributes = {};
      if (KEPT_HREF.test(href)) kept.href = href;
      if (HTTP_URL.test(href)) kept.rel = 'noopener noreferrer';
      return { tagName, attribs: kept };
    },
  },
};

export interface MarkdownOptions {
  /**
   * The highest heading level the text may use: 2 on a web page whose own title is the h1, so that the page
   * keeps one h1 (`#` and `##` both become h2, `###` stays h3) and no level is skipped after the title.
   */
  topHeadingLevel?: number;
}

/** Renders markdown to sanitised HTML (see the module's comment for what is kept). */
export function renderMarkdown(markdown: string, opts: MarkdownOptions = {}): string {
  const tokens = md.parse(markdown, {});
  const top = opts.topHeadingLevel ?? 1;
  if (top > 1) {
    for (const token of tokens) {
      if (token.type === 'heading_open' || token.type === 'heading_close') {
        token.tag = `h${Math.max(top, Number(token.tag.slice(1)))}`;
      }
    }
  }
  return sanitizeHtml(md.renderer.render(tokens, md.options, {}), SANITIZE);
}
