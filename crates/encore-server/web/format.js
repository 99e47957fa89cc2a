// Text helpers shared by the dashboard's views: escaping, numbers, percentages and tables.

export const escape = (text) => String(text ?? '').replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]);
export const number = (value, digits = 2) => (value == null ? '–' : Number(value).toFixed(digits));
export const percent = (value) => (value == null ? '–' : `${Math.round(value * 100)}%`);
export const count = (value) => (value == null ? '–' : Number(value).toLocaleString('en-US'));

export function table(headers, rows, attributes = '') {
  const head = headers.map((header) => `<th${header.startsWith('#') ? ' class="num"' : ''}>${escape(header.replace(/^#/, ''))}</th>`).join('');
  return `<table ${attributes}><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
