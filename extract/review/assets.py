"""The review page's stylesheet and script (kept as strings: the page is one file).

The script never puts reply text into ``innerHTML``: every piece of text goes in through
``textContent``, so a reply cannot inject markup; the page's Content-Security-Policy admits
this one script by its hash and nothing else.
"""

CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 1.5rem 4rem;color:#111}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;margin:.4rem 0}td,th{border:1px solid #ddd;padding:2px 6px;
text-align:left;vertical-align:top}th{background:#f3f4f6}
#index{max-height:40vh;overflow:auto;border:1px solid #ddd}
#index th{cursor:pointer;position:sticky;top:0}#index tr.row{cursor:pointer}
#index tr.row:hover td{background:#eff6ff}#index tr.open td{background:#dbeafe}
.urgent td:first-child{border-left:4px solid #dc2626}
#filter{padding:4px;width:24rem;margin:.5rem 0}
.panes{display:flex;gap:1rem;align-items:flex-start}
.text{flex:1 1 55%;white-space:pre-wrap;word-wrap:break-word;background:#fafafa;
border:1px solid #ddd;padding:.8rem;font:13px/1.5 ui-monospace,monospace;max-height:80vh;
overflow:auto}
.rec{flex:1 1 45%;max-height:80vh;overflow:auto}
table.grid{background:#fff;white-space:normal;font-size:12px}
table.grid td,table.grid th{border:1px solid #94a3b8}
mark{border-radius:2px;padding:0;cursor:pointer}
mark.flag{outline:2px solid #dc2626}mark.total{text-decoration:underline dotted}
mark.active{outline:3px solid #2563eb}mark.added{background:#86efac}
.unread{background:#fee2e2;border-bottom:2px dashed #dc2626}
.flags li{color:#b91c1c}
input.val{width:5.5em}.ctl{white-space:nowrap}td.accept{background:#dcfce7}td.reject{background:#fee2e2;
text-decoration:line-through}td.edit{background:#fef9c3}tr.sel td{outline:2px solid #2563eb}
button{font-size:12px;margin:0 1px;cursor:pointer}.muted{color:#6b7280}
#addform{border:1px solid #94a3b8;padding:.5rem;margin:.5rem 0;background:#f8fafc}
#addform label{display:inline-block;margin:2px 6px 2px 0}
.legend span{display:inline-block;padding:0 6px;margin:2px;border-radius:3px}
#msg{color:#b91c1c}
"""

JS = r"""
(function(){
'use strict';
var R = [], BY = {}, state = {}, open = null, sortKey = null, sortDir = 1, KEY = '';
var COUNTED = ['offences','victims','suspects','platforms','outcomes_by_type'];
/* The data is gzipped JSON in base64: decompressed here, by the browser's own gzip. */
function loadData(){
  var bin = atob(document.getElementById('data').textContent.trim());
  var bytes = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Response(stream).text().then(JSON.parse);
}
function save(){ try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) {} }
function $(id){ return document.getElementById(id); }
function el(tag, cls, text){
  var e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}
function st(doc){ return state[doc] || (state[doc] = {dec: {}, add: []}); }
function touched(doc){
  var s = state[doc]; return !!s && (Object.keys(s.dec).length > 0 || s.add.length > 0);
}
function say(t){ $('msg').textContent = t; }

/* ------------------------------------------------------------ index */
var COLS = [['doc_id','reply'],['force','force'],['reference','reference'],['period','period'],
            ['headline','offences'],['nflags','flags'],['status','review']];
function status(r){
  var s = state[r.doc_id], n = s ? Object.keys(s.dec).length + s.add.length : 0;
  var dup = r.duplicate_of ? 'duplicate of ' + r.duplicate_of : '';
  return [dup, n ? n + ' change' + (n > 1 ? 's' : '') : ''].filter(Boolean).join('; ');
}
function cellVal(r, k){ return k === 'status' ? status(r) : (r[k] === null ? '' : r[k]); }
function cmp(a, b){
  if (a === '' || b === '') return (a === '') - (b === '');  /* blanks sort after values */
  var x = parseFloat(a), y = parseFloat(b);
  if (!isNaN(x) && !isNaN(y)) return x - y;
  return String(a).localeCompare(String(b));
}
function drawIndex(){
  var q = $('filter').value.toLowerCase(), rows = R.filter(function(r){
    return !q || COLS.some(function(c){
      return String(cellVal(r, c[0])).toLowerCase().indexOf(q) >= 0; });
  });
  rows.sort(function(a, b){
    if (sortKey) return sortDir * cmp(cellVal(a, sortKey), cellVal(b, sortKey));
    return (b.urgent - a.urgent) || (b.nflags - a.nflags) || cmp(a.doc_id, b.doc_id);
  });
  var tb = $('index-body'); tb.textContent = '';
  rows.forEach(function(r){
    var tr = el('tr', 'row' + (r.urgent ? ' urgent' : '') + (r.doc_id === open ? ' open' : ''));
    tr.dataset.doc = r.doc_id;
    COLS.forEach(function(c){ tr.appendChild(el('td', null, cellVal(r, c[0]))); });
    tr.addEventListener('click', function(){ openReply(r.doc_id); });
    tb.appendChild(tr);
  });
  $('count').textContent = rows.length + ' of ' + R.length + ' replies shown';
}
function drawHead(){
  var tr = $('index-head'); tr.textContent = '';
  COLS.forEach(function(c){
    var th = el('th', null, c[1] + (sortKey === c[0] ? (sortDir > 0 ? ' ▲' : ' ▼') : ''));
    th.dataset.key = c[0];
    th.addEventListener('click', function(){
      if (sortKey === c[0]) sortDir = -sortDir; else { sortKey = c[0]; sortDir = 1; }
      drawHead(); drawIndex();
    });
    tr.appendChild(th);
  });
}

/* ------------------------------------------------------------ text */
function spansOf(r){
  var out = [];
  r.facts.forEach(function(f){ f.ev.forEach(function(e){
    if (e[1] > e[0] && e[1] <= r.text.length) out.push({s: e[0], e: e[1], f: f});
  }); });
  st(r.doc_id).add.forEach(function(a, i){
    out.push({s: a.ev[0], e: a.ev[1], f: {id: 'a' + i, kind: a.kind, added: true}}); });
  return out;
}
function unreadOf(text, spans){
  var out = [], re = /\b\d+(?:[.,]\d+)*\b/g, m;
  while ((m = re.exec(text)) !== null) {
    var s = m.index, e = s + m[0].length;
    if (!spans.some(function(p){ return p.s < e && s < p.e; })) out.push({s: s, e: e});
  }
  return out;
}
function leaf(r, a, b, spans, unread){
  var text = r.text.slice(a, b), cover = spans.filter(function(p){ return p.s <= a && b <= p.e; });
  var node;
  if (cover.length) {
    node = el('mark', 'k-' + cover[0].f.kind, text);
    node.dataset.f = cover.map(function(p){ return p.f.id; }).join(' ');
    if (cover.some(function(p){ return p.f.flagged; })) node.classList.add('flag');
    if (cover.some(function(p){ return p.f.total; })) node.classList.add('total');
    if (cover.some(function(p){ return p.f.added; })) node.classList.add('added');
    node.title = cover.map(function(p){
      return p.f.added ? 'added by you: ' + p.f.kind :
        p.f.kind + ' ' + p.f.period + ' ' + p.f.key + ' = ' + p.f.value; }).join('\n');
    node.addEventListener('click', function(){ select(node.dataset.f.split(' ')[0]); });
  } else if (unread.some(function(u){ return u.s <= a && b <= u.e; })) {
    node = el('span', 'unread', text); node.title = 'a number no fact used';
  } else {
    node = el('span', null, text);
  }
  node.dataset.o = a;
  return node;
}
function pieces(r, a, b, cuts, spans, unread, parent){
  var inner = cuts.filter(function(c){ return c > a && c < b; });
  var pts = [a].concat(inner, [b]);
  for (var i = 0; i + 1 < pts.length; i++) {
    if (pts[i + 1] > pts[i]) parent.appendChild(leaf(r, pts[i], pts[i + 1], spans, unread));
  }
}
function drawText(r, box){
  box.textContent = '';
  if (r.text === null) {
    box.appendChild(el('p', 'muted', 'normalised text not available')); return;
  }
  var spans = spansOf(r), unread = unreadOf(r.text, spans), set = {};
  spans.concat(unread).forEach(function(p){ set[p.s] = 1; set[p.e] = 1; });
  var cuts = Object.keys(set).map(Number).sort(function(x, y){ return x - y; });
  var pos = 0;
  r.tables.forEach(function(t){
    pieces(r, pos, t.start, cuts, spans, unread, box);
    var tab = el('table', 'grid');
    t.rows.forEach(function(row, i){
      var tr = el('tr');
      row.forEach(function(c){
        var td = el(i < t.head ? 'th' : 'td');
        pieces(r, c[0], c[1], cuts, spans, unread, td);
        tr.appendChild(td);
      });
      tab.appendChild(tr);
    });
    box.appendChild(tab);
    pos = t.end;
  });
  pieces(r, pos, r.text.length, cuts, spans, unread, box);
}

/* ------------------------------------------------------------ record */
function decClass(doc, id){ var d = st(doc).dec[id]; return d ? d.a : ''; }
function control(r, f){
  var span = el('span', 'ctl'), inp = el('input', 'val');
  var editable = COUNTED.indexOf(f.kind) >= 0 || f.kind === 'force' || f.kind === 'reference';
  var d = st(r.doc_id).dec[f.id];
  inp.value = d && d.a === 'edit' ? d.v : f.value;
  inp.readOnly = !editable; inp.dataset.fid = f.id;
  inp.setAttribute('aria-label', 'value of ' + f.kind + ' ' + f.key);
  inp.addEventListener('change', function(){ decide(r, f, 'edit', inp.value); });
  var ok = el('button', 'acc', '✓'), no = el('button', 'rej', '✗');
  ok.title = 'accept'; no.title = 'reject';
  ok.addEventListener('click', function(ev){ ev.stopPropagation(); decide(r, f, 'accept'); });
  no.addEventListener('click', function(ev){ ev.stopPropagation(); decide(r, f, 'reject'); });
  span.appendChild(inp); span.appendChild(ok);
  if (f.kind !== 'outcome') span.appendChild(no);
  return span;
}
function decide(r, f, action, value){
  var dec = st(r.doc_id).dec;
  if (action === 'edit') {
    var v = String(value).trim();
    if (COUNTED.indexOf(f.kind) >= 0 && !/^(\d+|suppressed|\*)$/.test(v)) {
      say('a count is a whole number, or "suppressed"'); return;
    }
    if (v === String(f.value)) { delete dec[f.id]; } else { dec[f.id] = {a: 'edit', v: v}; }
  } else if (dec[f.id] && dec[f.id].a === action) { delete dec[f.id]; }
  else { dec[f.id] = {a: action}; }
  say(''); save(); drawRecord(r); drawIndex();
}
function factRow(r, f){
  var tr = el('tr', 'fact'); tr.dataset.fid = f.id;
  tr.dataset.kind = f.kind; tr.dataset.period = f.period; tr.dataset.key = f.key;
  tr.appendChild(el('td', null, f.kind));
  tr.appendChild(el('td', null, f.period));
  tr.appendChild(el('td', null, f.key + (f.total ? ' (total)' : '')));
  var td = el('td', decClass(r.doc_id, f.id)); td.appendChild(control(r, f)); tr.appendChild(td);
  tr.appendChild(el('td', 'muted', (f.readers || []).join(' ') + (f.flagged ? ' flagged' : '')));
  tr.addEventListener('click', function(){ select(String(f.id)); });
  return tr;
}
function ageKey(a){ var n = parseInt(a, 10); return isNaN(n) ? 999 : n; }
function matrix(r, kind){
  var facts = r.facts.filter(function(f){ return f.kind === kind; });
  var box = el('div'), periods = [];
  facts.forEach(function(f){ if (periods.indexOf(f.period) < 0) periods.push(f.period); });
  periods.forEach(function(p){
    var mine = facts.filter(function(f){ return f.period === p; });
    var ages = [], genders = [];
    mine.forEach(function(f){
      if (ages.indexOf(f.age) < 0) ages.push(f.age);
      if (genders.indexOf(f.gender) < 0) genders.push(f.gender);
    });
    ages.sort(function(a, b){ return ageKey(a) - ageKey(b); });
    var tab = el('table', 'matrix'), head = el('tr');
    tab.dataset.kind = kind;
    head.appendChild(el('th', null, kind + ' ' + p + ' (age × gender)'));
    genders.forEach(function(g){ head.appendChild(el('th', null, g)); });
    tab.appendChild(head);
    ages.forEach(function(a){
      var tr = el('tr'); tr.appendChild(el('th', null, a));
      genders.forEach(function(g){
        var td = el('td'), f = mine.filter(function(x){ return x.age === a && x.gender === g; })[0];
        if (f) { td.className = decClass(r.doc_id, f.id); td.dataset.fid = f.id;
                 td.appendChild(control(r, f)); }
        tr.appendChild(td);
      });
      tab.appendChild(tr);
    });
    box.appendChild(tab);
  });
  return box;
}
function drawRecord(r){
  var box = $('rec'); box.textContent = '';
  var bar = el('div'), addb = el('button', null, 'Add missed value from selected text');
  addb.id = 'add-missed'; addb.addEventListener('click', function(){ addForm(r); });
  var allb = el('button', null, 'Accept all undecided');
  allb.id = 'accept-all';
  allb.addEventListener('click', function(){
    var dec = st(r.doc_id).dec;
    r.facts.forEach(function(f){ if (!dec[f.id]) dec[f.id] = {a: 'accept'}; });
    save(); drawRecord(r); drawIndex();
  });
  bar.appendChild(addb); bar.appendChild(allb); box.appendChild(bar);
  box.appendChild(el('div')).id = 'addslot';
  ['victims', 'suspects'].forEach(function(k){
    if (r.facts.some(function(f){ return f.kind === k; })) box.appendChild(matrix(r, k));
  });
  var tab = el('table', 'facts'), head = el('tr');
  ['kind', 'period', 'key', 'value', 'readers'].forEach(function(h){
    head.appendChild(el('th', null, h)); });
  tab.appendChild(head);
  /* flagged values first: they are the ones most likely to need a correction */
  r.facts.filter(function(f){ return f.kind !== 'victims' && f.kind !== 'suspects'; })
    .sort(function(a, b){ return (b.flagged - a.flagged) || (a.id - b.id); })
    .forEach(function(f){ tab.appendChild(factRow(r, f)); });
  box.appendChild(tab);
  var adds = st(r.doc_id).add;
  if (adds.length) {
    box.appendChild(el('h3', null, 'Added by you'));
    var ul = el('ul', 'added');
    adds.forEach(function(a, i){
      var li = el('li', null, a.kind + ' ' + JSON.stringify(a.item) + ' ');
      var x = el('button', null, 'remove');
      x.addEventListener('click', function(){ adds.splice(i, 1); save(); drawReply(r); });
      li.appendChild(x); ul.appendChild(li);
    });
    box.appendChild(ul);
  }
}
function select(fid){
  document.querySelectorAll('mark.active, tr.sel').forEach(function(m){
    m.classList.remove('active', 'sel'); });
  var ms = document.querySelectorAll('#text mark');
  var first = null;
  ms.forEach(function(m){ if (m.dataset.f.split(' ').indexOf(fid) >= 0) {
    m.classList.add('active'); first = first || m; } });
  if (first) first.scrollIntoView({block: 'center'});
  var row = document.querySelector('#rec [data-fid="' + fid + '"]');
  if (row) { (row.closest('tr') || row).classList.add('sel'); }
}

/* ------------------------------------------------------------ adding a missed value */
function selectionOffsets(){
  var sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  function off(node, o){
    var e = node.nodeType === 3 ? node.parentElement : node;
    var host = e && e.closest('[data-o]');
    if (!host || !$('text').contains(host)) return null;
    return parseInt(host.dataset.o, 10) + (node.nodeType === 3 ? o : 0);
  }
  var a = off(sel.anchorNode, sel.anchorOffset), b = off(sel.focusNode, sel.focusOffset);
  if (a === null || b === null) return null;
  return [Math.min(a, b), Math.max(a, b)];
}
function commonPeriod(r){
  var seen = {};
  var items = (r.record.offences || []).concat(r.record.victims || [], r.record.platforms || []);
  items.forEach(function(i){
    var k = i.period.start + '..' + i.period.end; seen[k] = (seen[k] || 0) + 1; });
  var best = Object.keys(seen).sort(function(a, b){ return seen[b] - seen[a]; })[0];
  return best ? best.split('..') : ['', ''];
}
function field(form, name, label, value, opts){
  var lab = el('label', null, label + ' '), inp;
  if (opts) {
    inp = el('select');
    opts.forEach(function(o){ var op = el('option', null, o); op.value = o; inp.appendChild(op); });
  }
  else { inp = el('input'); }
  inp.name = name; inp.value = value; lab.appendChild(inp); form.appendChild(lab);
  return inp;
}
function addForm(r){
  var ev = selectionOffsets(), slot = $('addslot');
  if (!ev) { say('select the missed value in the reply text first'); return; }
  var quote = r.text.slice(ev[0], ev[1]), per = commonPeriod(r);
  var form = el('form'); form.id = 'addform';
  form.appendChild(el('div', null, 'Selected: "' + quote + '" at ' + ev[0] + '-' + ev[1]));
  field(form, 'kind', 'kind', 'offences', COUNTED);
  field(form, 'start', 'from', per[0]); field(form, 'end', 'to', per[1]);
  var digits = quote.replace(/[^\d]/g, '');
  field(form, 'count', 'count', /[*<]|fewer/i.test(quote) ? 'suppressed' : digits);
  field(form, 'gender', 'gender', 'all', ['all', 'female', 'male', 'unknown', 'other']);
  field(form, 'age', 'age', 'all'); field(form, 'code', 'code', '');
  field(form, 'label', 'platform label', '');
  field(form, 'platforms', 'platforms (canonical, comma-separated)', '');
  field(form, 'outcome', 'outcome type', 'other');
  var ok = el('button', null, 'Add'); ok.type = 'submit'; form.appendChild(ok);
  form.addEventListener('submit', function(e){ e.preventDefault(); addItem(r, form, ev); });
  slot.textContent = ''; slot.appendChild(form);
}
function addItem(r, form, ev){
  var v = function(n){ return form.elements[n].value.trim(); };
  var kind = v('kind'), c = v('count'), item = {period: {start: v('start'), end: v('end')}};
  if (!/^\d{4}-\d\d-\d\d$/.test(item.period.start) || !/^\d{4}-\d\d-\d\d$/.test(item.period.end)) {
    say('the period needs two dates written YYYY-MM-DD'); return; }
  if (/^\d+$/.test(c)) { item.count = parseInt(c, 10); item.suppressed = false; }
  else if (/^(suppressed|\*)$/.test(c)) { item.count = null; item.suppressed = true; }
  else { say('a count is a whole number, or "suppressed"'); return; }
  if (kind === 'offences') item.code = v('code') || null;
  if (kind === 'victims' || kind === 'suspects') {
    if (!/^(all|unknown|\d{1,3}-\d{1,3}|\d{1,3}\+)$/.test(v('age'))) {
      say('age is all, unknown, A-B or A+'); return; }
    item.gender = v('gender'); item.age = v('age');
  }
  if (kind === 'platforms') {
    item.label = v('label');
    item.platforms = v('platforms').split(',').map(function(s){ return s.trim(); }).filter(Boolean);
  }
  if (kind === 'outcomes_by_type') item.outcome = v('outcome');
  st(r.doc_id).add.push({kind: kind, item: item, ev: ev});
  save(); say(''); drawReply(r); drawIndex();
}

/* ------------------------------------------------------------ export */
function evidence(r, spans){
  return spans.map(function(e){
    return {start: e[0], end: e[1], quote: r.text === null ? '' : r.text.slice(e[0], e[1])}; });
}
/* The page data leaves out what it can rebuild: item evidence and readers come back from the
   facts, quotes from the text. */
function restoreEvidence(r, rec){
  r.facts.forEach(function(f){
    var item = f.index !== null ? (rec[f.field] || [])[f.index] :
      (f.field === 'youngest_victim' ? rec.youngest_victim : null);
    if (item && typeof item === 'object') {
      item.evidence = evidence(r, f.ev); item.readers = f.readers || [];
    }
  });
  Object.keys(rec.evidence || {}).forEach(function(k){
    rec.evidence[k] = evidence(r, rec.evidence[k]); });
}
function countValue(v){
  if (/^\d+$/.test(v)) return {count: parseInt(v, 10), suppressed: false};
  return {count: null, suppressed: true};
}
function corrected(r){
  var rec = JSON.parse(JSON.stringify(r.record)), s = st(r.doc_id), gone = {};
  var tally = {accepted: 0, rejected: 0, edited: 0, added: s.add.length};
  restoreEvidence(r, rec);
  r.facts.forEach(function(f){
    var d = s.dec[f.id]; if (!d) return;
    if (d.a === 'accept') { tally.accepted++; return; }
    if (d.a === 'reject') {
      tally.rejected++;
      if (f.index !== null) { (gone[f.field] = gone[f.field] || []).push(f.index); }
      else if (f.field === 'youngest_victim') rec.youngest_victim = null;
      else if (f.field === 'data_in_attachment') rec.data_in_attachment = false;
      else if (f.field !== 'outcome') rec[f.field] = null;
      return;
    }
    tally.edited++;
    if (f.index !== null) Object.assign(rec[f.field][f.index], countValue(d.v));
    else rec[f.field] = d.v;
  });
  Object.keys(gone).forEach(function(k){
    gone[k].sort(function(a, b){ return b - a; }).forEach(function(i){ rec[k].splice(i, 1); });
  });
  s.add.forEach(function(a){
    var item = JSON.parse(JSON.stringify(a.item));
    item.evidence = [{start: a.ev[0], end: a.ev[1], quote: r.text.slice(a.ev[0], a.ev[1])}];
    item.readers = ['review'];
    rec[a.kind].push(item);
  });
  delete rec.flags;
  rec.meta = {review: tally};
  return rec;
}
function exportAll(){
  var lines = R.filter(function(r){ return touched(r.doc_id); }).map(function(r){
    return JSON.stringify(corrected(r)); });
  if (!lines.length) {
    say('nothing to export: accept, reject, edit or add a value first'); return;
  }
  var text = lines.join('\n') + '\n';
  $('export-text').value = text;
  var a = el('a'); a.download = 'corrections.jsonl';
  a.href = URL.createObjectURL(new Blob([text], {type: 'application/x-ndjson'}));
  document.body.appendChild(a); a.click(); a.remove();
  say(''); $('exported').textContent = lines.length + ' corrected record(s) exported';
}

/* ------------------------------------------------------------ one reply */
function drawReply(r){
  var box = $('detail'); box.textContent = '';
  box.appendChild(el('h2', null, r.doc_id));
  box.appendChild(el('p', null, 'force: ' + r.force + ' · reference: ' + r.reference +
                     ' · outcome: ' + r.outcome + ' · period: ' + r.period));
  if (r.flags.length) {
    var ul = el('ul', 'flags');
    r.flags.forEach(function(f){ ul.appendChild(el('li', null, f.code + ': ' + f.message)); });
    box.appendChild(ul);
  }
  var panes = el('div', 'panes'), text = el('div', 'text'), rec = el('div', 'rec');
  text.id = 'text'; rec.id = 'rec';
  panes.appendChild(text); panes.appendChild(rec); box.appendChild(panes);
  drawText(r, text); drawRecord(r);
}
function openReply(doc){
  open = doc; drawReply(BY[doc]); drawIndex();
  $('detail').scrollIntoView({block: 'start'});
}

function start(data){
  R = data.replies; KEY = 'foi-review:' + data.run;
  R.forEach(function(r){ BY[r.doc_id] = r; r.nflags = r.flags.length; });
  try { state = JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { state = {}; }
  $('filter').addEventListener('input', drawIndex);
  $('export').addEventListener('click', exportAll);
  drawHead(); drawIndex();
  document.body.dataset.ready = '1';
}
loadData().then(start, function(e){ say('could not read the page data: ' + e); });
})();
"""
