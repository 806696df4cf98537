// The sandbox's chat page: choose who you are, talk to the bot in your p2p chat, use its cards. Messages come
// from the emulator (GET /sandbox/api/chat) and live over server-sent events; what you type or click goes
// back through the emulator, which delivers it to the bot as Feishu would.

import { renderCard } from './card.js';
import { escapeHtml } from './markdown.js';

const ROLE_LABEL = { officer: '执法人员', admin: '法制员', supervisor: '负责人', leader: '领导', bureau: '司法局' };
const QUICK_WORDS = ['帮助', '证件', '学时'];
const $ = (id) => document.getElementById(id);
const state = { people: [], me: null, source: null, entries: new Map() };

async function api(path, body) {
  const init = body
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
    : undefined;
  const res = await fetch(path, init);
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
  return data;
}

function showToast({ type = 'info', content }) {
  const toast = $('toast');
  toast.className = `toast toast-${type}`;
  toast.textContent = content;
  toast.hidden = false;
  clearTimeout(showToast.timer);
  showToast.timer = setTimeout(() => (toast.hidden = true), 3000);
}

function personButton(person, caption) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'person';
  button.dataset.openId = person.openId;
  button.innerHTML = `<span class="avatar">${escapeHtml(person.name.slice(-2))}</span>
    <span class="who"><strong>${escapeHtml(person.name)}</strong><small>${escapeHtml(caption)}</small></span>`;
  button.addEventListener('click', () => choose(person.openId));
  return button;
}

async function loadPeople() {
  const { personas, people } = await api('/sandbox/api/people');
  state.people = people;
  const byId = new Map(people.map((p) => [p.openId, p]));
  const list = $('personas');
  list.replaceChildren();
  for (const { openId, label } of personas) {
    const person = byId.get(openId);
    if (!person) continue;
    const li = document.createElement('li');
    li.append(personButton(person, `${label} · ${person.unit}`));
    list.append(li);
  }
  const units = $('units');
  units.replaceChildren();
  for (const unit of [...new Set(people.map((p) => p.unit))]) {
    const details = document.createElement('details');
    details.innerHTML = `<summary>${escapeHtml(unit)}</summary>`;
    for (const p of people.filter((x) => x.unit === unit))
      details.append(personButton(p, `${ROLE_LABEL[p.role] ?? p.role} · ${p.certNo}`));
    units.append(details);
  }
  if (!people.length) list.innerHTML = '<li class="empty">名册为空:用 npm run cli -- import officers 导入人员</li>';
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (byId.has(wanted)) choose(wanted);
}

function choose(openId) {
  const me = state.people.find((p) => p.openId === openId);
  if (!me) return;
  state.me = me;
  history.replaceState(null, '', `#${openId}`);
  for (const b of document.querySelectorAll('.person')) b.classList.toggle('active', b.dataset.openId === openId);
  $('chat-head').innerHTML = `<span class="avatar">${escapeHtml(me.name.slice(-2))}</span>
    <span class="who"><span><strong>${escapeHtml(me.name)}</strong> 与「执法通」的单聊</span>
    <small>${escapeHtml(ROLE_LABEL[me.role] ?? me.role)} · ${escapeHtml(me.unit)} · 执法证号 ${escapeHtml(me.certNo)}</small></span>`;
  $('text').disabled = false;
  $('send').disabled = false;
  $('file').disabled = false;
  $('text').focus();
  connect(openId);
}

/** Live updates; on every (re)connect — first load, or a restarted server — the chat is read again whole. */
function connect(openId) {
  state.source?.close();
  const source = new EventSource(`/sandbox/api/stream?openId=${encodeURIComponent(openId)}`);
  state.source = source;
  source.addEventListener('open', () => reload(openId));
  source.addEventListener('message', (event) => addEntry(JSON.parse(event.data)));
  source.addEventListener('update', (event) => {
    const { messageId, content } = JSON.parse(event.data);
    updateCard(messageId, content);
  });
}

async function reload(openId) {
  const { messages } = await api(`/sandbox/api/chat?openId=${encodeURIComponent(openId)}`);
  if (state.me?.openId !== openId) return;
  $('messages').replaceChildren();
  state.entries.clear();
  if (!messages.length)
    $('messages').innerHTML = '<div class="empty">还没有消息。发送「帮助」看看执法通能做什么。</div>';
  for (const entry of messages) addEntry(entry, false);
  scrollToEnd();
}

function scrollToEnd() {
  const box = $('messages');
  box.scrollTop = box.scrollHeight;
}

function bubbleFor(entry) {
  if (entry.msgType === 'interactive') {
    return renderCard(entry.content, { act: (action) => act(entry.messageId, action) });
  }
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (entry.msgType === 'text') bubble.textContent = entry.content?.text ?? '';
  else if (entry.msgType === 'post') bubble.textContent = postText(entry.content);
  else if (entry.msgType === 'file' && entry.from === 'user')
    bubble.textContent = `📎 ${entry.content?.file_name ?? '文件'}`;
  else if (entry.msgType === 'file' && entry.content?.file_key) {
    const link = document.createElement('a');
    link.href = `/sandbox/api/file?key=${encodeURIComponent(entry.content.file_key)}`;
    link.textContent = '📎 下载文件';
    bubble.append(link);
  } else bubble.textContent = `[${entry.msgType} 消息]`;
  return bubble;
}

function postText(content) {
  const post = content?.zh_cn ?? content?.en_us ?? content ?? {};
  const lines = (post.content ?? []).map((line) =>
    line.map((part) => part.text ?? (part.tag === 'at' ? `@${part.user_name ?? ''}` : '')).join(''),
  );
  return [post.title, ...lines].filter(Boolean).join('\n');
}

function addEntry(entry, scroll = true) {
  if (state.entries.has(entry.messageId)) return;
  $('messages').querySelector('.empty')?.remove();
  const row = document.createElement('div');
  row.className = `msg from-${entry.from}`;
  row.dataset.messageId = entry.messageId;
  const time = new Date(entry.createdAt).toLocaleString('zh-CN', {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const name = entry.from === 'bot' ? '执法通' : (state.me?.name ?? '');
  row.innerHTML = `<span class="avatar ${entry.from === 'bot' ? 'bot' : ''}">${entry.from === 'bot' ? '执' : escapeHtml(name.slice(-2))}</span>
    <div class="msg-body"><div class="msg-meta">${escapeHtml(name)} <time>${escapeHtml(time)}</time></div></div>`;
  row.querySelector('.msg-body').append(bubbleFor(entry));
  $('messages').append(row);
  state.entries.set(entry.messageId, { entry, row });
  if (scroll) scrollToEnd();
}

function updateCard(messageId, content) {
  const known = state.entries.get(messageId);
  if (!known) return;
  known.entry = { ...known.entry, content };
  const body = known.row.querySelector('.msg-body');
  body.lastElementChild.replaceWith(bubbleFor(known.entry));
}

async function act(messageId, action) {
  try {
    const { toast, card } = await api('/sandbox/api/action', { openId: state.me.openId, messageId, ...action });
    if (toast) showToast(toast);
    if (card) updateCard(messageId, card);
  } catch (error) {
    showToast({ type: 'error', content: `操作没有送达:${error.message}` });
  }
}

async function send(text) {
  if (!state.me || !text.trim()) return;
  try {
    const { entry } = await api('/sandbox/api/send', { openId: state.me.openId, text });
    addEntry(entry);
  } catch (error) {
    showToast({ type: 'error', content: `发送失败:${error.message}` });
  }
}

/** A file goes to the bot as a file message (the bot reads it as it would one sent in Feishu). */
async function sendFile(file) {
  if (!state.me || !file) return;
  try {
    const res = await fetch(
      `/sandbox/api/send-file?openId=${encodeURIComponent(state.me.openId)}&name=${encodeURIComponent(file.name)}`,
      { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file },
    );
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
    addEntry(data.entry);
  } catch (error) {
    showToast({ type: 'error', content: `文件发送失败:${error.message}` });
  }
}

$('file').addEventListener('change', () => {
  const file = $('file').files?.[0];
  $('file').value = '';
  sendFile(file);
});
$('messages').addEventListener('dragover', (event) => event.preventDefault());
$('messages').addEventListener('drop', (event) => {
  event.preventDefault();
  sendFile(event.dataTransfer?.files?.[0]);
});

$('composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('text').value;
  $('text').value = '';
  send(text);
});
for (const word of QUICK_WORDS) {
  const chip = document.createElement('button');
  chip.type = 'button';
  chip.className = 'chip';
  chip.textContent = word;
  chip.addEventListener('click', () => send(word));
  $('chips').append(chip);
}
window.addEventListener('hashchange', () => {
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted && wanted !== state.me?.openId) choose(wanted);
});
loadPeople().catch((error) => showToast({ type: 'error', content: `读取人员失败:${error.message}` }));
