// Server-rendered HTML for the console: escaping, the page frame, and small form helpers. Every
// value that came from the database or a request goes through esc(); nothing else is trusted.
import type { Session } from './auth.ts';
import type { Locale, Words } from './words.ts';

export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A fragment already escaped; tagged templates keep page code readable. */
export interface Html {
  readonly html: string;
}
export const raw = (html: string): Html => ({ html });

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return { html: out };
}

function render(v: unknown): string {
  if (v === null || v === undefined || v === false) return '';
  if (Array.isArray(v)) return v.map(render).join('');
  if (typeof v === 'object' && 'html' in (v as object)) return (v as Html).html;
  return esc(v);
}

export function csrfField(s: Session): Html {
  return html`<input type="hidden" name="csrf" value="${s.csrf}">`;
}

export interface PageOptions {
  title: string;
  locale: Locale;
  w: Words;
  session: Session | null;
  /** Where this page lives, for the language switch. */
  path: string;
  nav?: { href: string; label: string; current?: boolean }[];
  body: Html;
}

export function page(o: PageOptions): string {
  const { w, locale: l, session: s } = o;
  const other: Locale = l === 'vi' ? 'en' : 'vi';
  const nav = o.nav?.length
    ? html`<nav aria-label="${w.navLabel[l]}"><ul>${o.nav.map((n) => html`<li><a href="${n.href}"${n.current ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`)}</ul></nav>`
    : '';
  const account = s
    ? html`<div class="account">
        <p>${w.signedInAs[l]} <strong>${s.alias}</strong></p>
        <form method="post" action="/console/signout">${csrfField(s)}<button class="link">${w.signOut[l]}</button></form>
        <form method="post" action="/console/signout-all">${csrfField(s)}<button class="link">${w.signOutAll[l]}</button></form>
      </div>`
    : '';
  return `<!doctype html>${html`<html lang="${l}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${o.title} · ${w.brand[l]}</title>
<link rel="stylesheet" href="/console/assets/console.css">
</head>
<body>
<header class="top">
  <a class="brand" href="/console">${w.brand[l]}</a>
  <a class="lang" href="/console/lang/${other}?next=${encodeURIComponent(o.path)}" lang="${other}">${other === 'en' ? 'English' : 'Tiếng Việt'}</a>
</header>
${nav}
<main id="main">
<h1>${o.title}</h1>
${o.body}
</main>
<footer>${account}${s ? html`<p class="print-note">${w.printNote[l]}</p>` : ''}</footer>
</body>
</html>`.html}`;
}
