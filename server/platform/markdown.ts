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

/** A path on this site: `/…` but not `//…` (another host). */
const SITE_PATH = /^\/(?!\/)/;

const sanitizeOptions = (siteOrigin: string | undefined): sanitizeHtml.IOptions => ({
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
  exclusiveFilter: (frame) => {
    if (frame.tag !== 'img') return false;
    const src = frame.attribs.src ?? '';
    return !(HTTP_URL.test(src) || (siteOrigin === '' && SITE_PATH.test(src)));
  },
  transformTags: {
    // An image on this site (an uploaded one) keeps its path, made absolute when the HTML leaves the site.
    img: (tagName, attribs): sanitizeHtml.Tag => {
      const src = attribs.src?.trim() ?? '';
      const local = siteOrigin !== undefined && SITE_PATH.test(src);
      return { tagName, attribs: { ...attribs, src: local ? `${siteOrigin}${src}` : src } };
    },
    // Runs before the scheme check: anything but the kept kinds of address loses its href (and stays text).
    a: (tagName, attribs): sanitizeHtml.Tag => {
      const href = attribs.href?.trim() ?? '';
      const kept: sanitizeHtml.Attributes = {};
      if (KEPT_HREF.test(href))
        kept.href = siteOrigin && SITE_PATH.test(href) ? `${siteOrigin}${href}` : href;
      if (HTTP_URL.test(href)) kept.rel = 'noopener noreferrer';
      return { tagName, attribs: kept };
    },
  },
});

const SANITIZE = sanitizeOptions(undefined);
const SANITIZE_SITE = sanitizeOptions('');

export interface MarkdownOptions {
  /**
   * The highest heading level the text may use: 2 on a web page whose own title is the h1, so that the page
   * keeps one h1 (`#` and `##` both become h2, `###` stays h3) and no level is skipped after the title.
   */
  topHeadingLevel?: number;
  /**
   * Keep images that are paths on this site (uploaded ones, `/site/…`): '' leaves them relative (pages of
   * the site); an origin such as `https://kith.example.org` makes them and the site's links absolute (mail,
   * which is read elsewhere). Left out, only http(s) images are kept.
   */
  siteOrigin?: string;
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
  const options =
    opts.siteOrigin === undefined
      ? SANITIZE
      : opts.siteOrigin === ''
        ? SANITIZE_SITE
        : sanitizeOptions(opts.siteOrigin);
  return sanitizeHtml(md.renderer.render(tokens, md.options, {}), options);
}
