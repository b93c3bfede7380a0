// The web chat page, rendered once per language at start-up from page.html and content/: every
// label in the person's language, and the emergency numbers as tel: links in the page itself,
// so they work when the server or the network does not.
import { readFileSync } from 'node:fs';
import type { Content } from '../../../content/types.ts';
import type { Locale } from '../../../flows/types.ts';

const LOCALES: readonly Locale[] = ['vi', 'en'];

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "096 306 1414" → "tel:0963061414". */
export function telHref(number: string): string {
  return `tel:${number.replace(/\D/g, '')}`;
}

/** Every switchable string, per language: web* labels, and each number's name and hours. */
function dictionary(content: Content): Record<Locale, Record<string, string>> {
  const out = { vi: {}, en: {} } as Record<Locale, Record<string, string>>;
  for (const l of LOCALES) {
    for (const [k, v] of Object.entries(content.ui)) if (k.startsWith('web')) out[l][k] = v[l];
    for (const n of content.emergency.numbers) {
      out[l][`sos.${n.id}`] = n.name[l];
      out[l][`hours.${n.id}`] = n.hours[l];
    }
  }
  return out;
}

function emergencyHtml(content: Content, l: Locale): string {
  const [first, ...rest] = content.emergency.numbers;
  if (!first) return '';
  const t = (key: string, text: string) => `<span data-t="${key}">${escapeHtml(text)}</span>`;
  const call = (n: typeof first, cls: string, icon = '') =>
    `<a class="${cls}" href="${telHref(n.number)}">${icon}<b>${escapeHtml(n.number)}</b> ${t(`sos.${n.id}`, n.name[l])}</a>`;
  const items = rest
    .map((n) => `<li>${call(n, 'tel')}<small>${t(`hours.${n.id}`, n.hours[l])}</small></li>`)
    .join('');
  return (
    // The first number (the ambulance) is always in sight; "Khẩn cấp" is said to screen readers.
    `<div class="sos"><p><span class="sr"><span data-t="webEmergency">${escapeHtml(content.ui.webEmergency[l])}</span>: </span>` +
    `${call(first, 'tel first', '<span aria-hidden="true">📞</span>')}</p>` +
    (items ? `<details><summary>${t('webEmergencyMore', content.ui.webEmergencyMore[l])}</summary><ul>${items}</ul></details>` : '') +
    '</div>'
  );
}

/** The page in each language: its lang, {{webX}} (escaped text), {{sos}} and {{dictionary}}. */
export function renderPages(templatePath: URL, content: Content): Record<Locale, string> {
  const template = readFileSync(templatePath, 'utf8');
  // In an attribute, escaped like any text.
  const dict = escapeHtml(JSON.stringify(dictionary(content)));
  const pages = {} as Record<Locale, string>;
  for (const l of LOCALES) {
    const html = template.replace('<html lang="vi">', `<html lang="${l}">`);
    pages[l] = html.replace(/\{\{(\w+)\}\}/g, (m, key: string) => {
      if (key === 'sos') return emergencyHtml(content, l);
      if (key === 'dictionary') return dict;
      const text = (content.ui as Record<string, { vi: string; en: string } | undefined>)[key];
      if (key.startsWith('web') && text) return escapeHtml(text[l]);
      throw new Error(`page.html: unknown placeholder ${m}`);
    });
  }
  return pages;
}
