import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders the markdown admins write: headings, lists, emphasis, quotes, code, rules, tables', () => {
    const html = renderMarkdown(
      '# Title\n\nSome *soft* and **strong** words.  \nNext line.\n\n- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n`code` and\n\n```\nblock\n```\n\n---\n\n| a | b |\n|:-|-:|\n| 1 | 2 |',
    );
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<em>soft</em>');
    expect(html).toContain('<strong>strong</strong>');
    expect(html).toContain('<br />');
    expect(html).toContain('<ul>\n<li>one</li>');
    expect(html).toContain('<ol start="3">');
    expect(html).toContain('<blockquote>');
    expect(html).toContain('<code>code</code>');
    expect(html).toContain('<pre><code>block\n</code></pre>');
    expect(html).toContain('<hr />');
    // Tables without the alignment styles.
    expect(html).toContain('<th>a</th>');
    expect(html).not.toContain('style=');
  });

  it('keeps headings under the page title when asked: # and ## become h2, the rest stay', () => {
    expect(renderMarkdown('# A\n\n## B\n\n### C', { topHeadingLevel: 2 })).toBe(
      '<h2>A</h2>\n<h2>B</h2>\n<h3>C</h3>\n',
    );
  });

  it('keeps links to web pages, email addresses, phone numbers and paths on the site', () => {
    const html = renderMarkdown(
      '[web](https://example.org/a?b=1) [plain](http://example.org) [mail](mailto:help@hospital.org) [phone](tel:+16175550100) [page](/site/riverside/contact) [anchor](#hours)',
    );
    expect(html).toContain('<a href="https://example.org/a?b=1" rel="noopener noreferrer">web</a>');
    expect(html).toContain('<a href="http://example.org" rel="noopener noreferrer">plain</a>');
    expect(html).toContain('<a href="mailto:help@hospital.org">mail</a>');
    expect(html).toContain('<a href="tel:+16175550100">phone</a>');
    expect(html).toContain('<a href="/site/riverside/contact">page</a>');
    expect(html).toContain('<a href="#hours">anchor</a>');
  });

  it('links bare addresses (linkify), with rel on those to other sites', () => {
    const html = renderMarkdown('See https://benefits.gov, www.211.org or write to help@hospital.org.');
    expect(html).toContain(
      '<a href="https://benefits.gov" rel="noopener noreferrer">https://benefits.gov</a>',
    );
    expect(html).toContain('<a href="http://www.211.org" rel="noopener noreferrer">www.211.org</a>');
    expect(html).toContain('<a href="mailto:help@hospital.org">help@hospital.org</a>');
  });

  it('keeps images from http(s) with their alt text, and drops any other source', () => {
    const html = renderMarkdown(
      '![Our team](https://example.org/team.jpg) ![d](data:image/png;base64,iVBORw0KGgo=) ![r](/x.png) ![p](//evil.example/x.png) ![j](javascript:alert(1))',
    );
    expect(html).toContain('<img src="https://example.org/team.jpg" alt="Our team" />');
    expect(html.match(/<img/g)).toHaveLength(1);
    expect(html).not.toContain('data:');
    expect(html).not.toContain('evil.example');
  });

  it.each([
    ['a script tag', '<script>alert(1)</script>'],
    ['a script split over lines', '<scr\nipt>alert(1)</script>'],
    ['an img with onerror', '<img src=x onerror=alert(1)>'],
    ['an svg with onload', '<svg onload=alert(1)>'],
    ['an iframe', '<iframe src="https://evil.example"></iframe>'],
    ['a raw link with onclick', '<a href="https://example.org" onclick="alert(1)">x</a>'],
    ['a style tag', '<style>body{display:none}</style>'],
    ['a form', '<form action="https://evil.example"><input name=x></form>'],
    ['an html comment', '<!-- <script>alert(1)</script> -->'],
  ])('never passes raw HTML through: %s is shown as text', (_name, payload) => {
    const html = renderMarkdown(`Hello ${payload} world`);
    expect(html).not.toMatch(/<(script|img|svg|iframe|style|form|input|!--)/i);
    expect(html).not.toMatch(/<a [^>]*onclick/i);
    expect(html).toContain('&lt;');
  });

  it.each([
    ['javascript:', '[x](javascript:alert(1))'],
    ['JavaScript: in capitals', '[x](JaVaScRiPt:alert(1))'],
    ['javascript: behind an entity', '[x](&#106;avascript:alert(1))'],
    ['javascript: with a tab', '[x](java\tscript:alert(1))'],
    ['an encoded tab', '[x](jav&#x09;ascript:alert(1))'],
    ['vbscript:', '[x](vbscript:msgbox(1))'],
    ['data: html', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a protocol-relative link', '[x](//evil.example/path)'],
    ['another scheme', '[x](ftp://files.example/a)'],
    ['a reference-style javascript link', '[x][1]\n\n[1]: javascript:alert(1)'],
    ['an autolink', '<javascript:alert(1)>'],
  ])('drops dangerous link targets: %s', (_name, markdown) => {
    const html = renderMarkdown(markdown);
    expect(html).not.toMatch(/href="(?!https?:)/i);
    expect(html).not.toMatch(/href="[^"]*(script|data:)/i);
    expect(html).not.toContain('evil.example/path"');
  });

  it('escapes attribute breakouts in link titles and alt text', () => {
    const html = renderMarkdown(
      '[x](https://example.org "a\\" onmouseover=\\"alert(1)") ![a" onerror="alert(1)](https://example.org/i.png)',
    );
    // Quotes stay inside the attribute's value: no new attribute starts after one.
    expect(html).not.toMatch(/"\s+on\w+=/i);
    expect(html).toContain('alt="a&quot; onerror=&quot;alert(1)"');
    expect(html).not.toContain('title=');
  });

  describe('images on this site (uploaded for newsletter issues)', () => {
    const md = '![Room](/site/riverside/newsletter/images/abc) and [home](/site/riverside/)';

    it('drops them unless asked to keep them', () => {
      expect(renderMarkdown(md)).not.toContain('<img');
    });

    it('keeps them relative on the site', () => {
      const html = renderMarkdown(md, { siteOrigin: '' });
      expect(html).toContain('<img src="/site/riverside/newsletter/images/abc" alt="Room" />');
      expect(html).toContain('<a href="/site/riverside/">home</a>');
    });

    it("makes them and the site's links absolute for mail", () => {
      const html = renderMarkdown(md, { siteOrigin: 'https://kith.example.org' });
      expect(html).toContain(
        '<img src="https://kith.example.org/site/riverside/newsletter/images/abc" alt="Room" />',
      );
      expect(html).toContain('<a href="https://kith.example.org/site/riverside/">home</a>');
    });

    it('still drops protocol-relative and data images', () => {
      for (const src of ['//evil.example/x.png', 'data:image/png;base64,AAAA', 'javascript:alert(1)']) {
        expect(renderMarkdown(`![x](${src})`, { siteOrigin: '' })).not.toContain('<img');
        expect(renderMarkdown(`![x](${src})`, { siteOrigin: 'https://kith.example.org' })).not.toContain(
          '<img',
        );
      }
    });
  });
});
