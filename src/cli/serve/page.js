"use strict";
// The workbench: the rule file in the editor is checked and evaluated as
// it is typed (POST /api/evaluate); nothing is written until Save.

const WORDS = {
  zh: {
    rules: "规则", data: "数据", language: "语言", save: "保存", formatSave: "格式化并保存",
    form: "自评表", explain: "计算过程", diff: "规则对比", audit: "审核",
    total: "总分", download: "下载", explainHint: "点击自评表中的一行，查看该得分的计算过程。",
    old: "原规则", new: "新规则", compare: "对比", submitted: "报送数据", auditRun: "审核",
    conflictTitle: "文件已在磁盘上被修改", conflictText: "载入后，磁盘上的文件已被其他程序修改。请选择保留哪一份。",
    onDisk: "磁盘上的版本", yours: "您的版本", overwrite: "用我的版本覆盖", takeDisk: "改用磁盘上的版本", cancel: "取消",
    checking: "检查中…", checked: "已检查", errors: "错误", warnings: "警告", clean: "没有发现问题",
    tests: "测试", passed: "通过", failedTests: "未通过", expected: "应为", computed: "实为",
    discard: "有未保存的修改。放弃这些修改，打开另一个文件吗？", saveWithErrors: "文件有错误。仍要保存吗？",
    before: "（修改前）", savedFiles: "按已保存的文件计算：未保存的修改不在其中。",
    saved: "已保存", saveFailed: "保存失败", noToken: "缺少令牌：请打开 jixiao serve 启动时打印的网址",
    noData: "没有与此规则的项目和年度相符的数据文件", notEvaluated: "规则有错误，自评表为修改前的结果",
    line: "行", unsaved: "（未保存）", loading: "载入中…", failed: "请求失败",
  },
  en: {
    rules: "Rules", data: "Data", language: "Language", save: "Save", formatSave: "Format and save",
    form: "自评表", explain: "Explain", diff: "Diff", audit: "Audit",
    total: "Total", download: "Download", explainHint: "Click a row of the 自评表 to see how its score is computed.",
    old: "Old rules", new: "New rules", compare: "Compare", submitted: "Submitted data", auditRun: "Audit",
    conflictTitle: "The file changed on disk", conflictText: "Another program changed the file after it was loaded. Choose which to keep.",
    onDisk: "On disk", yours: "Yours", overwrite: "Overwrite with mine", takeDisk: "Take the disk's", cancel: "Cancel",
    checking: "checking…", checked: "checked", errors: "errors", warnings: "warnings", clean: "no problems found",
    tests: "tests", passed: "passed", failedTests: "failed", expected: "expected", computed: "computed",
    discard: "There are unsaved changes. Discard them and open another file?", saveWithErrors: "The file has errors. Save it anyway?",
    before: " (before the edit)", savedFiles: "From the saved files: unsaved changes are not in it.",
    saved: "saved", saveFailed: "save failed", noToken: "no token: open the address jixiao serve printed at start",
    noData: "no data file matches this rule file's projects and years", notEvaluated: "the rules have errors: the 自评表 is from before the edit",
    line: "line", unsaved: " (unsaved)", loading: "loading…", failed: "request failed",
  },
};

const $ = (id) => document.getElementById(id);
const state = { lang: "zh", path: null, version: null, saved: "", seq: 0, shown: 0, explain: {}, data: null };

// The token comes in the address jixiao serve printed; it is kept for this
// tab only and taken out of the address bar (and so out of history).
const params = new URLSearchParams(location.search);
if (params.get("token")) {
  sessionStorage.setItem("jixiao-token", params.get("token"));
  history.replaceState(null, "", location.pathname + location.hash);
}
const token = () => sessionStorage.getItem("jixiao-token") || "";

function t(key) { return WORDS[state.lang][key] || key; }

// A text area holds `\n` only: texts are compared as it holds them (the server keeps a file's `\r\n`).
const lf = (text) => text.replace(/\r\n/g, "\n");

// The file the address names after `#`, if it decodes.
function hashPath() {
  try { return decodeURIComponent(location.hash.slice(1)); } catch (e) { return ""; }
}

// An answer's JSON; the HTTP layer's own refusals are plain text.
async function body(response) {
  const text = await response.text();
  try { return JSON.parse(text); } catch (e) { return { error: text || String(response.status) }; }
}

function translate() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
}

async function api(method, url, body) {
  const headers = { "X-Jixiao-Token": token() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  return fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

function status(text, bad) {
  $("status").textContent = text;
  $("status").classList.toggle("bad", !!bad);
}

function fill(select, items, chosen) {
  select.replaceChildren(...items.map((item) => {
    const option = document.createElement("option");
    option.value = item; option.textContent = item; option.selected = item === chosen;
    return option;
  }));
}

// Line numbers, with the lines that have problems marked.
function gutter(marks) {
  const lines = $("editor").value.split("\n").length;
  const rows = [];
  for (let i = 1; i <= lines; i++) {
    const row = document.createElement("div");
    row.textContent = i; row.dataset.line = i;
    if (marks && marks[i]) { row.className = marks[i]; }
    rows.push(row);
  }
  $("gutter").replaceChildren(...rows);
  // The same lines marked behind the text itself.
  if (marks) {
    $("marks").replaceChildren(...Object.entries(marks).map(([line, kind]) => {
      const bar = document.createElement("div");
      bar.className = kind; bar.style.top = (line - 1) * 20 + "px";
      return bar;
    }));
  }
  scrolled();
}

function scrolled() {
  $("gutter").scrollTop = $("editor").scrollTop;
  $("marks").style.transform = `translateY(${-$("editor").scrollTop}px)`;
}

// A failing test's expectations read as errors at their lines.
function testProblems(tests) {
  const out = [];
  for (const test of tests || []) {
    for (const f of test.failures) {
      out.push({ file: state.path, line: f.line, column: 1, severity: "error", code: "test",
        message: `${test.name}: ${f.subject} ${t("expected")} ${f.expected}，${t("computed")} ${f.computed}` });
    }
  }
  return out;
}

function showDiagnostics(list) {
  const marks = {};
  const items = list.map((d) => {
    const li = document.createElement("li");
    li.className = d.severity; li.dataset.line = d.line; li.dataset.code = d.code; li.dataset.file = d.file;
    const own = d.file === state.path;
    if (own && d.line) marks[d.line] = marks[d.line] === "error" ? "error" : d.severity;
    const where = d.line ? `${own ? "" : d.file + " "}${t("line")} ${d.line}:${d.column} ` : "";
    li.append(where);
    const code = document.createElement("span"); code.className = "code"; code.textContent = `[${d.code}] `;
    li.append(code, d.message);
    if (d.help) { const help = document.createElement("div"); help.className = "help"; help.textContent = d.help; li.append(help); }
    if (own && d.line) li.addEventListener("click", () => goTo(d.line, d.column));
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li"); li.className = "clean"; li.textContent = t("clean"); items.push(li);
  }
  $("diagnostics").replaceChildren(...items);
  gutter(marks);
}

function goTo(line, column) {
  const editor = $("editor");
  const lines = editor.value.split("\n");
  let at = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) at += lines[i].length + 1;
  at += Math.max(0, column - 1);
  editor.focus(); editor.setSelectionRange(at, at);
  editor.scrollTop = Math.max(0, (line - 5) * 20);
}

// Each edit: checked and evaluated; an answer older than the one shown is dropped.
let timer = null;
function edited() {
  gutter();
  status(t("checking") + (dirty() ? t("unsaved") : ""));
  clearTimeout(timer);
  timer = setTimeout(evaluate, 120);
}
const dirty = () => $("editor").value !== state.saved;

async function evaluate() {
  if (!state.path) return;
  const seq = ++state.seq;
  const path = state.path;
  const started = performance.now();
  let answer;
  try {
    const response = await api("POST", "/api/evaluate", { path: state.path, text: $("editor").value, data: state.data, lang: state.lang });
    answer = await body(response);
    if (!response.ok) { status(answer.error || t("failed"), true); return; }
  } catch (e) { status(t("failed"), true); return; }
  // An answer older than the one shown, or about a file no longer open, is dropped.
  if (seq < state.shown || path !== state.path) return;
  state.shown = seq;
  const failed = testProblems(answer.tests);
  if (answer.tests_not_run) failed.push({ file: state.path, line: 0, severity: "warning", code: "test", message: answer.tests_not_run });
  showDiagnostics(answer.diagnostics.concat(failed));
  const errors = answer.diagnostics.filter((d) => d.severity === "error").length;
  const warnings = answer.diagnostics.length - errors;
  // Keep the list while the rules do not check: the choice stays.
  if (answer.data.length || !errors) fill($("data-file"), answer.data || [], answer.chosen);
  if (answer.chosen) state.data = answer.chosen;
  if (answer.chosen && !state.auditPicked) $("audit-data").value = answer.chosen;
  state.evaluated = answer.form !== undefined;
  state.errors = errors;
  for (const b of document.querySelectorAll("[data-format]")) b.disabled = !state.evaluated;
  $("form").classList.toggle("stale", !state.evaluated && errors > 0);
  if (answer.form !== undefined) {
    $("total").textContent = answer.total;
    $("points").textContent = answer.points ? " / " + answer.points : "";
    $("grade").textContent = answer.grade || "";
    // Laid out at the width of a printed page, scrolled in the pane, not squeezed into it.
    $("form").srcdoc = answer.form.replace("</head>", "<style>body { min-width: 1000px; }</style></head>");
    $("form-note").textContent = "";
    state.explain = answer.explain || {};
  } else {
    $("form-note").textContent = errors ? t("notEvaluated") : t("noData");
    $("form-note").classList.toggle("bad", errors > 0);
    if (errors) {
      const shown = $("total").textContent.replace(WORDS.zh.before, "").replace(WORDS.en.before, "");
      if (shown !== "–") $("total").textContent = shown + t("before");
    } else { $("total").textContent = "–"; $("points").textContent = ""; $("grade").textContent = ""; $("form").srcdoc = ""; }
  }
  if (answer.form !== undefined) $("form-note").classList.remove("bad");
  const ms = Math.round(performance.now() - started);
  const tests = answer.tests && answer.tests.length
    ? ` · ${t("tests")} ${answer.tests.filter((x) => !x.failures.length).length} ${t("passed")} / ${answer.tests.filter((x) => x.failures.length).length} ${t("failedTests")}` : "";
  const failures = failed.filter((f) => f.severity === "error").length;
  status(`${t("checked")} · ${t("errors")} ${errors} · ${t("warnings")} ${warnings}${tests} · ${ms} ms${dirty() ? t("unsaved") : ""}`, errors + failures > 0);
  document.body.dataset.evaluated = String(seq);
}

// The 自评表 is laid out at a printed page's width, then scaled to fit the pane: every column in view.
function fitForm() {
  const doc = $("form").contentDocument;
  if (doc && doc.body) doc.body.style.zoom = Math.min(1, ($("form").clientWidth - 24) / 1000);
}
new ResizeObserver(fitForm).observe($("form"));

// A row of the 自评表 explains its score.
$("form").addEventListener("load", () => {
  const doc = $("form").contentDocument;
  if (!doc || !doc.body) return;
  fitForm();
  for (const row of doc.querySelectorAll("tr[data-indicator]")) {
    row.style.cursor = "pointer";
    row.title = t("explain");
    row.addEventListener("click", () => {
      $("explain").textContent = state.explain[row.dataset.indicator] || "";
      tab("explain");
    });
  }
});

async function open(path) {
  status(t("loading"));
  const response = await api("GET", "/api/file?path=" + encodeURIComponent(path));
  const answer = await body(response);
  if (!response.ok) { status(answer.error || t("failed"), true); return; }
  state.path = path; state.version = answer.version; state.saved = lf(answer.text); state.data = null;
  $("editor").value = state.saved;
  history.replaceState(null, "", location.pathname + "#" + encodeURIComponent(path));
  gutter();
  await evaluate();
}

async function save(format, version) {
  if (!token()) { status(t("noToken"), true); return; }
  if (!version && state.errors > 0 && !confirm(t("saveWithErrors"))) return;
  const text = $("editor").value;
  const response = await api("POST", "/api/save", { path: state.path, text, version: version || state.version, format });
  const answer = await body(response);
  if (response.status === 409) {
    state.disk = lf(answer.disk);
    showConflict(state.disk, text);
    $("conflict").dataset.version = answer.version;
    $("conflict").dataset.format = format ? "1" : "";
    return;
  }
  if (!response.ok) { status(`${t("saveFailed")}: ${answer.error || response.status}`, true); return; }
  state.version = answer.version; state.saved = lf(answer.text);
  if (state.saved !== text) { $("editor").value = state.saved; }
  await evaluate();
  status(t("saved") + " · " + state.path + ($("status").classList.contains("bad") ? " · " + $("status").textContent : ""), state.errors > 0);
}

// Both versions, the lines between their common beginning and end marked.
function showConflict(disk, mine) {
  const a = disk.split("\n"), b = mine.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const render = (into, lines) => {
    $(into).replaceChildren(...lines.map((line, i) => {
      const row = document.createElement("div");
      row.textContent = `${String(i + 1).padStart(4)}  ${line}`;
      if (i >= head && i < lines.length - tail) row.className = "changed";
      return row;
    }));
    const first = $(into).querySelector(".changed");
    if (first) first.scrollIntoView({ block: "center" });
  };
  $("conflict").showModal();
  render("conflict-disk", a);
  render("conflict-mine", b);
}

function tab(name) {
  for (const b of document.querySelectorAll(".tab")) b.classList.toggle("active", b.dataset.tab === name);
  for (const p of document.querySelectorAll(".panel")) p.classList.toggle("active", p.id === "panel-" + name);
}

async function download(format) {
  const response = await api("POST", "/api/download", { path: state.path, text: $("editor").value, data: state.data, lang: state.lang, format });
  if (!response.ok) { const a = await body(response); status(a.error || t("failed"), true); return; }
  const disposition = response.headers.get("Content-Disposition") || "";
  const match = /filename\*=UTF-8''(.+)$/.exec(disposition);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = match ? decodeURIComponent(match[1]) : "jixiao." + format;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

async function report(url, into) {
  const response = await api("GET", url + "&lang=" + state.lang);
  const answer = await body(response);
  if (!response.ok) { $(into).textContent = answer.error || t("failed"); return; }
  const problems = (answer.diagnostics || []).map((d) => `${d.line ? `${d.file}:${d.line}:${d.column} ` : ""}[${d.code}] ${d.message}`);
  $(into).textContent = [answer.text || "", problems.join("\n")].filter((x) => x).join("\n");
}

async function start() {
  const response = await api("GET", "/api/workspace");
  const workspace = await body(response);
  if (!response.ok) { status(workspace.error || t("failed"), true); return; }
  state.lang = workspace.lang;
  $("lang").value = state.lang;
  translate();
  $("workspace-name").textContent = workspace.name;
  const wanted = hashPath();
  const first = workspace.rules.includes(wanted) ? wanted
    : workspace.rules.find((r) => !r.endsWith(".test.jx") && !r.endsWith("scheme.jx")) || workspace.rules[0];
  fill($("rule-file"), workspace.rules, first);
  const years = workspace.folders;
  // The last two years by default (folders named by a year), else the first two folders.
  const dated = years.filter((y) => /(^|\/)\d{4}$/.test(y));
  const pair = dated.length >= 2 ? dated.slice(-2) : years.slice(0, 2);
  fill($("diff-old"), years, pair[0]);
  fill($("diff-new"), years, pair[1] || pair[0]);
  fill($("audit-data"), workspace.data, workspace.data[0]);
  tab("form");
  if (first) await open(first);
}

$("editor").addEventListener("input", edited);
$("editor").addEventListener("scroll", scrolled);
$("editor").addEventListener("keydown", (e) => {
  if (e.key === "Tab") { e.preventDefault(); document.execCommand("insertText", false, "    "); }
  if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(false); }
});
$("rule-file").addEventListener("change", (e) => {
  if (dirty() && !confirm(t("discard"))) { e.target.value = state.path; return; }
  open(e.target.value);
});
window.addEventListener("hashchange", () => {
  const wanted = hashPath();
  if (wanted === state.path || ![...$("rule-file").options].some((o) => o.value === wanted)) return;
  if (dirty() && !confirm(t("discard"))) { history.replaceState(null, "", location.pathname + "#" + encodeURIComponent(state.path)); return; }
  $("rule-file").value = wanted;
  open(wanted);
});
$("data-file").addEventListener("change", (e) => { state.data = e.target.value; evaluate(); });
$("lang").addEventListener("change", (e) => {
  state.lang = e.target.value; translate(); evaluate();
  if ($("diff-text").textContent) $("diff-run").click();
  if ($("audit-text").textContent) $("audit-run").click();
});
$("save").addEventListener("click", () => save(false));
$("format-save").addEventListener("click", () => save(true));
for (const b of document.querySelectorAll(".tab")) b.addEventListener("click", () => tab(b.dataset.tab));
for (const b of document.querySelectorAll("[data-format]")) b.addEventListener("click", () => download(b.dataset.format));
$("diff-run").addEventListener("click", () => report(`/api/diff?old=${encodeURIComponent($("diff-old").value)}&new=${encodeURIComponent($("diff-new").value)}`, "diff-text"));
$("audit-data").addEventListener("change", () => { state.auditPicked = true; });
$("audit-run").addEventListener("click", () => report(`/api/audit?data=${encodeURIComponent($("audit-data").value)}`, "audit-text"));
$("conflict-overwrite").addEventListener("click", () => { $("conflict").close(); save(!!$("conflict").dataset.format, $("conflict").dataset.version); });
$("conflict-take").addEventListener("click", () => {
  $("conflict").close();
  state.version = $("conflict").dataset.version; state.saved = state.disk;
  $("editor").value = state.saved; edited();
});
$("conflict-cancel").addEventListener("click", () => $("conflict").close());
window.addEventListener("beforeunload", (e) => { if (state.path && dirty()) e.preventDefault(); });
start();
