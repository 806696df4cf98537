// Renders a Feishu message card (JSON 2.0, and the 1.0 shapes still around) as the Feishu client would, closely
// enough to use: header colour, markdown, column sets, dividers, notes, buttons, selects, inputs and forms.
// What the user does is handed to `act(action)`, which sends card.action.trigger with the same fields Feishu
// would (value, tag, name, form_value, option, input_value, checked). Unknown components show as a grey line.

import { escapeHtml, renderMarkdown } from './markdown.js';

const TEMPLATES = new Set([
  'blue',
  'wathet',
  'turquoise',
  'green',
  'yellow',
  'orange',
  'red',
  'carmine',
  'violet',
  'purple',
  'indigo',
  'grey',
]);

const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

/** Text of a plain_text / lark_md object, an i18n one, or a bare string. */
export const textOf = (t) =>
  typeof t === 'string' ? t : (t?.content ?? t?.i18n_content?.zh_cn ?? t?.i18n?.zh_cn ?? '');

/** The callback value of an interactive component: JSON 2.0 `behaviors`, or 1.0 `value`. */
const callbackValue = (c) =>
  c.behaviors?.find((b) => b.type === 'callback')?.value ?? (c.value && typeof c.value === 'object' ? c.value : {});

export function renderCard(card, { act }) {
  const root = el('div', 'card');
  const header = card.header ?? card.i18n_header?.zh_cn;
  if (header) {
    const head = el('div', `card-header t-${TEMPLATES.has(header.template) ? header.template : 'default'}`);
    head.append(el('div', 'card-title', textOf(header.title)));
    if (header.subtitle && textOf(header.subtitle)) head.append(el('div', 'card-subtitle', textOf(header.subtitle)));
    for (const tag of header.text_tag_list ?? [])
      head.append(el('span', `md-tag c-${tag.color ?? 'blue'}`, textOf(tag.text)));
    root.append(head);
  }
  const body = el('div', 'card-body');
  const elements =
    card.body?.elements ?? card.elements ?? card.i18n_elements?.zh_cn ?? card.i18n_body?.zh_cn?.elements ?? [];
  const run = async (action) => {
    root.classList.add('busy');
    for (const b of root.querySelectorAll('button, select, input, textarea')) b.disabled = true;
    try {
      await act(action);
    } finally {
      root.classList.remove('busy');
      for (const b of root.querySelectorAll('button, select, input, textarea'))
        b.disabled = b.dataset.disabled === 'true';
    }
  };
  renderElements(elements, body, { run, form: null });
  root.append(body);
  return root;
}

function renderElements(elements, parent, ctx) {
  for (const element of elements ?? []) {
    const node = renderElement(element, ctx);
    if (node) parent.append(node);
  }
}

function markdownNode(content, element = {}) {
  const node = el('div', `md size-${element.text_size ?? 'normal'} align-${element.text_align ?? 'left'}`);
  node.innerHTML = renderMarkdown(content);
  return node;
}

function textNode(text) {
  if (!text) return null;
  if (text.tag === 'lark_md') return markdownNode(text.content, text);
  const node = el('div', `plain size-${text.text_size ?? 'normal'}`, textOf(text));
  return node;
}

const RENDERERS = {
  markdown: (e) => markdownNode(e.content ?? textOf(e.text), e),
  lark_md: (e) => markdownNode(e.content, e),
  plain_text: (e) => textNode(e),
  hr: () => el('hr', 'card-hr'),
  div: (e, ctx) => {
    const node = el('div', 'card-div');
    const text = textNode(e.text);
    if (text) node.append(text);
    if (e.fields?.length) {
      const grid = el('div', 'card-fields');
      for (const f of e.fields) {
        const cell = el('div', f.is_short ? 'field short' : 'field');
        const t = textNode(f.text);
        if (t) cell.append(t);
        grid.append(cell);
      }
      node.append(grid);
    }
    if (e.extra) {
      const extra = renderElement(e.extra, ctx);
      if (extra) node.append(extra);
    }
    return node;
  },
  note: (e) => {
    const node = el('div', 'card-note');
    for (const part of e.elements ?? [])
      node.append(
        part.tag === 'lark_md'
          ? markdownNode(part.content)
          : el('span', null, textOf(part) || (part.alt ? textOf(part.alt) : '')),
      );
    return node;
  },
  column_set: (e, ctx) => {
    const node = el('div', `columns bg-${e.background_style ?? 'default'} flex-${e.flex_mode ?? 'none'}`);
    for (const column of e.columns ?? []) {
      const col = el('div', `column valign-${column.vertical_align ?? 'top'}`);
      if (column.width === 'auto') col.style.flex = '0 0 auto';
      else if (/^\d+px$/.test(column.width ?? '')) col.style.flex = `0 0 ${column.width}`;
      else col.style.flex = `${Number(column.weight) || 1} 1 0`;
      renderElements(column.elements, col, ctx);
      node.append(col);
    }
    return node;
  },
  action: (e, ctx) => {
    const node = el('div', 'card-actions');
    renderElements(e.actions, node, ctx);
    return node;
  },
  button: (e, ctx) => {
    const button = el(
      'button',
      `btn btn-${e.type ?? 'default'} size-${e.size ?? 'medium'}${e.width === 'fill' ? ' fill' : ''}`,
      textOf(e.text),
    );
    button.type = 'button';
    if (e.disabled) button.disabled = true;
    button.dataset.disabled = String(Boolean(e.disabled));
    const form = ctx.form;
    button.addEventListener('click', () => {
      const url = e.behaviors?.find((b) => b.type === 'open_url')?.default_url ?? e.url ?? e.multi_url?.url;
      if (url && !e.behaviors?.some((b) => b.type === 'callback')) return void window.open(url, '_blank', 'noopener');
      if (e.confirm && !window.confirm(`${textOf(e.confirm.title)}\n${textOf(e.confirm.text)}`)) return;
      if (form && e.form_action_type === 'reset') return form.reset();
      const action = { tag: 'button', value: callbackValue(e), name: e.name };
      if (form && e.form_action_type === 'submit') {
        const formValue = form.collect();
        if (!formValue) return;
        action.formValue = formValue;
      }
      ctx.run(action);
    });
    return button;
  },
  select_static: (e, ctx) => selectNode(e, ctx, false),
  multi_select_static: (e, ctx) => selectNode(e, ctx, true),
  input: (e, ctx) => {
    const wrap = el('label', 'card-input');
    if (e.label) wrap.append(el('span', 'input-label', textOf(e.label)));
    const multiline = e.input_type === 'multiline_text';
    const input = el(multiline ? 'textarea' : 'input');
    if (!multiline) input.type = e.input_type === 'password' ? 'password' : 'text';
    if (multiline) input.rows = e.rows ?? 3;
    input.placeholder = textOf(e.placeholder);
    input.value = e.default_value ?? '';
    if (e.max_length) input.maxLength = e.max_length;
    input.name = e.name ?? '';
    wrap.append(input);
    if (ctx.form) ctx.form.add(e, input, () => input.value);
    else if (!multiline) {
      input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && input.value)
          ctx.run({ tag: 'input', name: e.name, value: callbackValue(e), inputValue: input.value });
      });
    }
    return wrap;
  },
  date_picker: (e, ctx) => {
    const input = el('input', 'card-date');
    input.type = 'date';
    input.value = e.initial_date ?? '';
    // Feishu reports a picked date with the picker's time zone offset.
    const valueOf = () => (input.value ? `${input.value} +0800` : '');
    if (ctx.form) ctx.form.add(e, input, valueOf);
    else
      input.addEventListener('change', () =>
        ctx.run({ tag: 'date_picker', name: e.name, value: callbackValue(e), option: valueOf() }),
      );
    return input;
  },
  checker: (e, ctx) => {
    const wrap = el('label', 'card-checker');
    const box = el('input');
    box.type = 'checkbox';
    box.checked = Boolean(e.checked);
    wrap.append(box, el('span', null, textOf(e.text)));
    if (ctx.form) ctx.form.add(e, box, () => box.checked);
    else
      box.addEventListener('change', () =>
        ctx.run({ tag: 'checker', name: e.name, value: callbackValue(e), checked: box.checked }),
      );
    return wrap;
  },
  form: (e, ctx) => {
    const node = el('form', 'card-form');
    node.noValidate = true;
    node.addEventListener('submit', (event) => event.preventDefault());
    const fields = [];
    const form = {
      add: (component, input, read) => fields.push({ component, input, read }),
      reset: () => node.reset(),
      /** The form's values by component name, or null (and the missing ones marked) when a required one is empty. */
      collect: () => {
        let ok = true;
        const values = {};
        for (const { component, input, read } of fields) {
          const value = read();
          const empty = value === '' || value === undefined || (Array.isArray(value) && !value.length);
          input.classList.toggle('invalid', Boolean(component.required && empty));
          if (component.required && empty) ok = false;
          if (component.name && !(empty && component.tag !== 'input')) values[component.name] = value;
        }
        return ok ? values : null;
      },
    };
    renderElements(e.elements, node, { ...ctx, form });
    return node;
  },
  collapsible_panel: (e, ctx) => {
    const node = el('details', 'card-panel');
    node.open = Boolean(e.expanded);
    node.append(el('summary', null, textOf(e.header?.title) || '展开'));
    renderElements(e.elements, node, ctx);
    return node;
  },
  interactive_container: (e, ctx) => {
    const node = el('div', 'card-container');
    renderElements(e.elements, node, ctx);
    if (e.behaviors?.some((b) => b.type === 'callback')) {
      node.classList.add('clickable');
      node.addEventListener('click', (event) => {
        if (event.target === node) ctx.run({ tag: 'interactive_container', name: e.name, value: callbackValue(e) });
      });
    }
    return node;
  },
  table: (e) => {
    const table = el('table', 'card-table');
    const columns = e.columns ?? [];
    const head = el('tr');
    for (const c of columns) head.append(el('th', null, c.display_name ?? c.name));
    table.append(head);
    for (const row of e.rows ?? []) {
      const tr = el('tr');
      for (const c of columns) {
        const td = el('td');
        const v = row[c.name];
        td.innerHTML =
          c.data_type === 'lark_md' || c.data_type === 'markdown'
            ? renderMarkdown(String(v ?? ''))
            : escapeHtml(Array.isArray(v) ? v.map((o) => o.text ?? o).join('、') : (v ?? ''));
        tr.append(td);
      }
      table.append(tr);
    }
    return table;
  },
  img: (e) => el('div', 'card-placeholder', `🖼 图片${textOf(e.alt) ? `:${textOf(e.alt)}` : ''}(沙箱不显示图片)`),
  chart: (e) => chartNode(e),
  person: (e) => el('span', 'md-at', `@${e.user_id ?? '用户'}`),
};

/** A card's chart drawn as Feishu does, with VChart (bundled, served at /sandbox/vendor/vchart.js). */
function chartNode(e) {
  const node = el('div', 'card-chart');
  const [w, h] = String(e.aspect_ratio ?? '16:9')
    .split(':')
    .map(Number);
  node.style.aspectRatio = `${w || 16} / ${h || 9}`;
  node.dataset.chart = e.element_id ?? '';
  const VChart = window.VChart?.default ?? window.VChart?.VChart;
  if (!VChart) {
    node.textContent = '📊 图表组件未能加载';
    return node;
  }
  // Drawn once the node is in the page and has a size.
  requestAnimationFrame(() => {
    try {
      new VChart({ ...e.chart_spec, animation: false }, { dom: node }).renderSync();
      node.dataset.rendered = 'true';
    } catch (error) {
      node.textContent = `📊 图表无法绘制:${error.message}`;
    }
  });
  return node;
}

function selectNode(e, ctx, multiple) {
  const select = el('select', 'card-select');
  select.multiple = multiple;
  select.name = e.name ?? '';
  if (!multiple) {
    const placeholder = el('option', null, textOf(e.placeholder) || '请选择');
    placeholder.value = '';
    select.append(placeholder);
  }
  const initial = new Set([e.initial_option, ...(e.selected_values ?? [])].filter(Boolean));
  for (const o of e.options ?? []) {
    const option = el('option', null, textOf(o.text));
    option.value = o.value;
    option.selected = initial.has(o.value);
    select.append(option);
  }
  const read = () => (multiple ? [...select.selectedOptions].map((o) => o.value) : select.value);
  if (ctx.form) ctx.form.add(e, select, read);
  else {
    select.addEventListener('change', () => {
      const action = { tag: e.tag, name: e.name, value: callbackValue(e) };
      if (multiple) action.options = read();
      else action.option = read();
      ctx.run(action);
    });
  }
  return select;
}

function renderElement(element, ctx) {
  if (!element || typeof element !== 'object') return null;
  const render = RENDERERS[element.tag];
  if (render) return render(element, ctx);
  return el('div', 'card-placeholder', `[沙箱暂不支持的组件:${element.tag}]`);
}
