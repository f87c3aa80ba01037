//! The JavaScript run in the page. Each is one WebDriver round trip.
//!
//! Scripts never send answer values back to Rust: they compare in the page and return
//! statuses, so nothing personal crosses into logs or errors.

/// The page's URL and HTML plus every frame that holds form controls (same-origin frames
/// with their HTML; cross-origin frames with their `src` only).
pub(crate) const SNAPSHOT: &str = r#"
const out = { url: String(location.href), html: document.documentElement ? document.documentElement.outerHTML : '', frames: [] };
const elements = Array.from(document.querySelectorAll('iframe, frame'));
for (let i = 0; i < window.frames.length; i++) {
  const w = window.frames[i];
  const el = elements.find(e => e.contentWindow === w);
  const src = el ? (el.src || el.getAttribute('src') || '') : '';
  let doc = null;
  try { doc = w.document; } catch (e) { doc = null; }
  if (doc && doc.documentElement) {
    if (doc.querySelector('form, input:not([type=hidden]), select, textarea, [contenteditable], [role=combobox]')) {
      let url = src;
      try { url = String(w.location.href); } catch (e) {}
      out.frames.push({ index: i, url: url, html: doc.documentElement.outerHTML });
    }
  } else {
    out.frames.push({ index: i, url: src, html: '' });
  }
}
return out;
"#;

/// Shared helpers, prepended to the fill scripts.
const HELPERS: &str = r#"
const norm = s => String(s == null ? '' : s).replace(/\s+/g, ' ').trim().toLowerCase();
const TRUTHY = ['true', 'yes', 'y', 'on', '1', 'checked', 'agree', 'accepted'];
const FALSY = ['false', 'no', 'n', 'off', '0', 'unchecked', ''];
function findField(f) {
  let el = null;
  if (f.selector) { try { el = document.querySelector(f.selector); } catch (e) { el = null; } }
  if (!el && f.id) el = document.getElementById(f.id);
  if (!el && f.name) el = document.querySelector('[name="' + CSS.escape(f.name) + '"]');
  return el;
}
function isCombobox(el) {
  return el.getAttribute('role') === 'combobox' || el.getAttribute('aria-autocomplete') === 'list'
    || el.getAttribute('aria-haspopup') === 'listbox';
}
function nativeSet(el, v) {
  const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype
    : el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v);
}
function fire(el, type) { el.dispatchEvent(new Event(type, { bubbles: true })); }
function visible(el) { return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length); }
"#;

/// Fills the plain fields (`arguments[0]`, a list of field descriptions) in one go, waits
/// one task (a zero timeout: microtasks, e.g. framework re-renders scheduled by the events,
/// and timers already due run first; React restores controlled inputs synchronously), reads
/// every field back and returns one status per field:
/// `ok`, `not_taken`, `missing`, `no_option`, `disabled`, `unsupported`, `needs_typeahead`
/// or `error`, with a value-free `detail`.
pub(crate) fn fill_plain() -> String {
    format!("{HELPERS}{FILL_PLAIN}")
}

const FILL_PLAIN: &str = r#"
const fields = arguments[0];
function optionTexts(f, want) {
  const texts = [want];
  for (const o of (f.options || [])) { if (o.value === want && o.text) texts.push(o.text); }
  return texts.map(norm);
}
function labelOf(x) {
  if (x.labels && x.labels.length) return x.labels[0].innerText;
  const l = x.closest('label');
  if (l) return l.innerText;
  return x.getAttribute('aria-label') || x.getAttribute('title') || '';
}
function matchesChoice(x, f, want) {
  if (x.value === want) return true;
  const texts = optionTexts(f, want);
  return texts.includes(norm(labelOf(x))) || (x.value !== 'on' && texts.includes(norm(x.value)));
}
function splitList(v) { return String(v).split(',').map(s => s.trim()).filter(s => s !== ''); }
function groupOf(el, type) {
  if (el.tagName !== 'INPUT') return Array.from(el.querySelectorAll('input[type=' + type + ']'));
  const name = el.getAttribute('name');
  if (!name) return [el];
  const root = el.form || document;
  return Array.from(root.querySelectorAll('input[name="' + CSS.escape(name) + '"]')).filter(x => x.type === el.type);
}
function pressed(b) {
  const attrs = ['aria-pressed', 'aria-checked', 'aria-selected'];
  if (attrs.some(a => b.getAttribute(a) === 'true')) return true;
  return /(^|[-_\s])(active|selected|checked|pressed)($|[-_\s])/i.test(String(b.className || ''));
}
function hasStateSignal(b) {
  return ['aria-pressed', 'aria-checked', 'aria-selected'].some(a => b.hasAttribute(a)) || pressed(b);
}
function setButtons(el, f) {
  const root = el.tagName === 'BUTTON' ? (el.parentElement || el) : el;
  const buttons = Array.from(root.querySelectorAll('button, [role=button], [role=radio]'));
  if (!buttons.length) return { status: 'unsupported', detail: 'no inputs or buttons found for this field' };
  const texts = optionTexts(f, f.value);
  const target = buttons.find(b => texts.includes(norm(b.innerText || b.getAttribute('aria-label'))))
    || buttons.find(b => b.value === f.value);
  if (!target) return { status: 'no_option', detail: 'no button with the chosen text' };
  if (!pressed(target)) target.click();
  return { check: () => pressed(target) || !buttons.some(hasStateSignal) };
}
function setText(el, f) {
  if (el.isContentEditable) return setRich(el, f);
  if (el.tagName === 'SELECT') return setSelect(el, f);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) {
    const inner = el.querySelector('input:not([type=hidden]), textarea, [contenteditable]');
    if (!inner) return { status: 'unsupported', detail: 'the element is not a text control' };
    el = inner;
    if (el.isContentEditable) return setRich(el, f);
  }
  if (el.disabled || el.readOnly) return { status: 'disabled', detail: 'the control is disabled or read-only' };
  if (isCombobox(el) && f.has_selection) return { status: 'needs_typeahead' };
  const v = f.value;
  el.focus();
  if (f.clear && el.value !== '') { nativeSet(el, ''); fire(el, 'input'); }
  if (el.value !== v) { nativeSet(el, v); fire(el, 'input'); fire(el, 'change'); }
  el.blur();
  return { check: () => {
    const got = el.value;
    if (got === v) return true;
    if (el.type === 'number' && got !== '' && Number(got) === Number(v)) return true;
    return got.replace(/\r\n/g, '\n') === v.replace(/\r\n/g, '\n');
  } };
}
function setRich(el, f) {
  const target = el.isContentEditable ? el : el.querySelector('[contenteditable]');
  if (!target) return { status: 'unsupported', detail: 'no contenteditable element found' };
  target.focus();
  const range = document.createRange();
  range.selectNodeContents(target);
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  let inserted = false;
  try { inserted = document.execCommand('insertText', false, f.value); } catch (e) { inserted = false; }
  if (!inserted || norm(target.innerText) !== norm(f.value)) {
    target.textContent = f.value;
    target.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
  }
  fire(target, 'change');
  target.blur();
  return { check: () => norm(target.innerText) === norm(f.value) };
}
function setSelect(el, f) {
  if (el.tagName !== 'SELECT') {
    if (el.tagName === 'INPUT' && (isCombobox(el) || el.type === 'text' || el.type === 'search')) return { status: 'needs_typeahead' };
    const inner = el.querySelector('select');
    if (inner) el = inner;
    else {
      const combo = el.querySelector('input[role=combobox], input[aria-autocomplete=list]');
      if (combo) return { status: 'needs_typeahead' };
      return setButtons(el, f);
    }
  }
  if (el.disabled) return { status: 'disabled', detail: 'the select is disabled' };
  const opts = Array.from(el.options);
  const pick = w => opts.find(o => o.value === w) || opts.find(o => optionTexts(f, w).includes(norm(o.text)));
  const wants = el.multiple ? splitList(f.value) : [f.value];
  const chosen = wants.map(pick);
  if (chosen.some(o => !o)) return { status: 'no_option', detail: 'no option has the chosen value or text' };
  el.focus();
  if (el.multiple) opts.forEach(o => { o.selected = chosen.includes(o); });
  else nativeSet(el, chosen[0].value);
  fire(el, 'input');
  fire(el, 'change');
  el.blur();
  return { check: () => el.multiple ? opts.every(o => o.selected === chosen.includes(o)) : el.value === chosen[0].value };
}
function setRadio(el, f) {
  const radios = groupOf(el, 'radio');
  if (!radios.length) return setButtons(el, f);
  const target = radios.find(x => matchesChoice(x, f, f.value));
  if (!target) return { status: 'no_option', detail: 'no radio button has the chosen value or label' };
  if (target.disabled) return { status: 'disabled', detail: 'the chosen radio button is disabled' };
  if (!target.checked) target.click();
  return { check: () => target.checked };
}
function setCheckbox(el, f) {
  let boxes = groupOf(el, 'checkbox');
  if (!boxes.length) {
    if (el.getAttribute('role') === 'checkbox' || el.getAttribute('role') === 'switch') return setAriaSwitch(el, f);
    return setButtons(el, f);
  }
  const wants = splitList(f.value);
  if (boxes.length === 1 && wants.length <= 1) {
    const box = boxes[0];
    const n = norm(f.value);
    let desired;
    if (FALSY.includes(n)) desired = false;
    else if (TRUTHY.includes(n) || matchesChoice(box, f, f.value)) desired = true;
    else return { status: 'no_option', detail: 'the answer is neither true/false nor the checkbox value' };
    if (box.disabled) return { status: 'disabled', detail: 'the checkbox is disabled' };
    if (box.checked !== desired) box.click();
    return { check: () => box.checked === desired };
  }
  const desired = boxes.map(x => wants.some(w => matchesChoice(x, f, w)));
  const unmatched = wants.filter(w => !boxes.some(x => matchesChoice(x, f, w)));
  if (unmatched.length) return { status: 'no_option', detail: unmatched.length + ' chosen value(s) match no checkbox' };
  boxes.forEach((x, i) => { if (x.checked !== desired[i] && !x.disabled) x.click(); });
  return { check: () => boxes.every((x, i) => x.checked === desired[i]) };
}
function setAriaSwitch(el, f) {
  const desired = !FALSY.includes(norm(f.value));
  const state = () => el.getAttribute('aria-checked') === 'true' || el.getAttribute('aria-pressed') === 'true';
  if (state() !== desired) el.click();
  return { check: () => state() === desired };
}
function setToggle(el, f) {
  if (el.tagName === 'INPUT') return setCheckbox(el, f);
  const inner = el.querySelector('input[type=checkbox]');
  if (inner) return setCheckbox(inner, f);
  return setAriaSwitch(el, f);
}
const results = [];
const checks = [];
for (const f of fields) {
  let r;
  try {
    const el = findField(f);
    if (!el) r = { status: 'missing', detail: 'no element matches the field selector' };
    else {
      switch (f.type) {
        case 'select': case 'multiselect': r = setSelect(el, f); break;
        case 'radio': r = setRadio(el, f); break;
        case 'checkbox': r = setCheckbox(el, f); break;
        case 'toggle': r = setToggle(el, f); break;
        case 'richtext': r = setRich(el, f); break;
        case 'typeahead': r = el.tagName === 'SELECT' ? setSelect(el, f) : { status: 'needs_typeahead' }; break;
        default: r = setText(el, f);
      }
    }
  } catch (e) {
    r = { status: 'error', detail: 'the page threw ' + String(e && e.name || 'an error') };
  }
  results.push(r);
}
return new Promise(resolve => setTimeout(() => {
  resolve(results.map(r => {
    if (!r.check) return { status: r.status, detail: r.detail || '' };
    try { return r.check() ? { status: 'ok', detail: '' } : { status: 'not_taken', detail: '' }; }
    catch (e) { return { status: 'error', detail: 'reading the value back threw ' + String(e && e.name || 'an error') }; }
  }));
}, 0));
"#;

/// Finds a typeahead's text input (`arguments[0]`: field description), scrolls it into
/// view and empties it; returns the element or `null`.
pub(crate) fn typeahead_prepare() -> String {
    format!("{HELPERS}{TYPEAHEAD_PREPARE}")
}

const TYPEAHEAD_PREPARE: &str = r#"
const f = arguments[0];
let el = findField(f);
if (!el) return null;
if (!(el instanceof HTMLInputElement) || el.type === 'hidden') {
  el = el.querySelector('input[role=combobox], input[aria-autocomplete=list], input:not([type=hidden])') || el;
}
el.scrollIntoView({ block: 'center' });
if ('value' in el && el.value !== '') { el.focus(); nativeSet(el, ''); fire(el, 'input'); }
return el;
"#;

/// Waits (inside the page, up to `arguments[2]` ms) for visible `role=option` elements
/// near the typeahead `arguments[0]` and returns the option whose text equals
/// `arguments[1]` (case and spacing ignored), else the first containing it; `null` when
/// none appears. The chosen text stays in the page for [`typeahead_verify`].
pub(crate) fn typeahead_pick() -> String {
    format!("{HELPERS}{TYPEAHEAD_PICK}")
}

const TYPEAHEAD_PICK: &str = r#"
const [input, want, waitMs] = arguments;
const target = norm(want);
function options() {
  let roots = [];
  for (const attr of ['aria-controls', 'aria-owns']) {
    const id = input.getAttribute(attr);
    if (id) for (const part of id.split(/\s+/)) { const r = document.getElementById(part); if (r) roots.push(r); }
  }
  if (!roots.length) roots = [document];
  const found = [];
  for (const r of roots) for (const o of r.querySelectorAll('[role=option], [class*="__option"]')) {
    if (visible(o) && !found.includes(o)) found.push(o);
  }
  // A class match can be a container of options: keep the innermost ones.
  return found.filter(o => !found.some(other => other !== o && o.contains(other)));
}
return new Promise(resolve => {
  const started = Date.now();
  const tick = () => {
    const opts = options();
    const exact = opts.find(o => norm(o.innerText) === target);
    const partial = exact || opts.find(o => norm(o.innerText).includes(target));
    if (exact || (partial && Date.now() - started > 300)) {
      window.__autoapplyChosen = norm(partial.innerText);
      resolve(partial);
    } else if (Date.now() - started > waitMs) {
      if (partial) { window.__autoapplyChosen = norm(partial.innerText); resolve(partial); }
      else resolve(null);
    } else setTimeout(tick, 25);
  };
  tick();
});
"#;

/// Checks that the typeahead `arguments[0]` shows the chosen option, and that a hidden
/// required twin beside it (e.g. Greenhouse's `requiredInput`) got a value. Returns
/// `{shown, twin}` where `twin` is `null` when there is none.
pub(crate) fn typeahead_verify() -> String {
    format!("{HELPERS}{TYPEAHEAD_VERIFY}")
}

const TYPEAHEAD_VERIFY: &str = r#"
const input = arguments[0];
const chosen = window.__autoapplyChosen || '';
return new Promise(resolve => setTimeout(() => {
  let shown = chosen !== '' && norm(input.value).includes(chosen);
  let twin = null;
  let node = input;
  for (let depth = 0; depth < 7 && node.parentElement; depth++) {
    node = node.parentElement;
    const others = Array.from(node.querySelectorAll('input, select, textarea')).filter(x =>
      x !== input && x.type !== 'hidden' && x.getAttribute('aria-hidden') !== 'true' && x.tabIndex !== -1);
    if (others.length) break;
    if (!shown && chosen !== '') {
      let text = norm(node.innerText);
      for (const lb of node.querySelectorAll('[role=listbox]')) text = text.replace(norm(lb.innerText), '');
      if (text.includes(chosen)) shown = true;
    }
    if (twin === null) {
      const twins = Array.from(node.querySelectorAll('input')).filter(x =>
        x !== input && (x.type === 'hidden' || x.getAttribute('aria-hidden') === 'true'));
      if (twins.length) twin = twins.some(x => x.value !== '');
    }
  }
  resolve({ shown: shown, twin: twin });
}, 30));
"#;

/// Finds a file field's `<input type=file>` (`arguments[0]`: field description).
pub(crate) fn file_prepare() -> String {
    format!("{HELPERS}{FILE_PREPARE}")
}

const FILE_PREPARE: &str = r#"
const f = arguments[0];
let el = findField(f);
if (!el) return null;
if (!(el instanceof HTMLInputElement && el.type === 'file')) {
  el = el.querySelector('input[type=file]') || (el.closest('form, div') || document).querySelector('input[type=file]');
}
return el || null;
"#;

/// Makes a hidden file input interactable, for drivers that refuse to type into it.
pub(crate) const FILE_UNHIDE: &str = r#"
const el = arguments[0];
el.style.display = 'block';
el.style.visibility = 'visible';
el.style.opacity = '1';
el.style.width = '10px';
el.style.height = '10px';
el.hidden = false;
"#;

/// Whether the file input `arguments[0]` holds a file named `arguments[1]`.
pub(crate) const FILE_VERIFY: &str = r#"
const [el, name] = arguments;
if (!el.files || el.files.length === 0) return 'empty';
return el.files[0].name === name ? 'ok' : 'other_name';
"#;

/// Marks the document before a click: a token on `window` (gone after a navigation) and a
/// MutationObserver that flags changes (ignoring attribute flicker on the clicked element
/// itself). Scrolls the element into view and returns `{el, x, y, hit}`, or `null` when no
/// element matches: `x`, `y` are the centre of its first visible box in the top-level
/// viewport (offset through same-origin frames), and `hit` says a mouse press there lands
/// on the element or inside it (checked with `elementFromPoint`, in the frame and at every
/// frame boundary up to the top); `false` when covered, hidden, or not reachable.
pub(crate) const CLICK_PREPARE: &str = r#"
const [sel, token] = arguments;
let el = null;
try { el = document.querySelector(sel); } catch (e) { el = null; }
if (!el) return null;
window.__autoapplyClickToken = token;
window.__autoapplyChanged = false;
if (window.__autoapplyObserver) window.__autoapplyObserver.disconnect();
const observer = new MutationObserver(mutations => {
  for (const m of mutations) {
    if (m.type === 'attributes' && (m.target === el || el.contains(m.target))) continue;
    window.__autoapplyChanged = true;
    return;
  }
});
observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true,
  attributes: true, attributeFilter: ['style', 'hidden', 'class', 'aria-hidden', 'open'] });
window.__autoapplyObserver = observer;
el.scrollIntoView({ block: 'center' });
const out = { el: el, x: 0, y: 0, hit: false };
try {
  const vw = window.innerWidth, vh = window.innerHeight;
  let box = null;
  for (const r of el.getClientRects()) {
    const left = Math.max(r.left, 0), right = Math.min(r.right, vw);
    const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
    if (right > left && bottom > top) { box = { left, right, top, bottom }; break; }
  }
  if (!box) return out;
  let x = (box.left + box.right) / 2, y = (box.top + box.bottom) / 2;
  const at = document.elementFromPoint(x, y);
  if (!at || !(at === el || el.contains(at))) return out;
  let w = window;
  while (w !== w.top) {
    const frame = w.frameElement;
    if (!frame) return out;
    const parent = w.parent;
    const r = frame.getBoundingClientRect();
    const style = parent.getComputedStyle(frame);
    x += r.left + frame.clientLeft + parseFloat(style.paddingLeft || '0');
    y += r.top + frame.clientTop + parseFloat(style.paddingTop || '0');
    if (parent.document.elementFromPoint(x, y) !== frame) return out;
    w = parent;
  }
  out.x = x; out.y = y; out.hit = true;
} catch (e) { out.hit = false; }
return out;
"#;

/// A script click, when the WebDriver click is intercepted by an overlay.
pub(crate) const JS_CLICK: &str = "arguments[0].click();";

/// After a click: is the token still there, did the DOM change, how far is loading.
pub(crate) const CLICK_POLL: &str = r#"
return { same: window.__autoapplyClickToken === arguments[0], changed: !!window.__autoapplyChanged,
  ready: document.readyState };
"#;

/// Empties the current document's web storage, before a session goes back to the pool.
pub(crate) const CLEAR_STORAGE: &str = r#"
try { window.localStorage.clear(); } catch (e) {}
try { window.sessionStorage.clear(); } catch (e) {}
return String(location.origin);
"#;

/// Leaves a typeahead with its typed text (change, then blur) and returns the value it keeps
/// a moment later, after the widget's own blur handling.
pub(crate) const TYPEAHEAD_KEEP_TEXT: &str = r#"
var el = arguments[0];
el.dispatchEvent(new Event('change', {bubbles: true}));
el.blur();
el.dispatchEvent(new FocusEvent('focusout', {bubbles: true}));
return new Promise(function (done) { setTimeout(function () { done(el.value); }, 100); });
"#;
