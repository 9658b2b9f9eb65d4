/* argmine report: filters, charts, paged claims table, documents rendered on demand.
   All data text goes into the DOM as text nodes or attributes (never innerHTML). */
(function () {
  "use strict";
  const T0 = performance.now();
  const P = JSON.parse(document.getElementById("payload").textContent);
  const C = P.claims, D = P.docs, L = P.labels, N = C.id.length, PAGE = 50;
  const UNL = "u";
  let bodies = null;
  const $ = (id) => document.getElementById(id);
  let haystack = null;  // lower-cased text + section, built on the first search
  const hay = () => haystack || (haystack = C.text.map((t, i) => (t + "\n" + C.section[i]).toLowerCase()));
  const docClaims = D.id.map(() => []);
  for (let i = 0; i < N; i++) docClaims[C.doc[i]].push(i);
  const state = { q: "", stance: "", scenario: "", actor: "", type: "", doc: "", since: "", until: "", min: "", facets: {}, sort: null, dir: 1, page: 0 };
  let visible = [];
  window.__argmine = { ready: false, loadMs: null, lastFilterMs: null, views: {}, visible: () => visible.slice() };

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "style") e.style.cssText = v; else if (k === "class") e.className = v; else e.setAttribute(k, v);
    }
    for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : document.createTextNode(String(k)));
    return e;
  }
  const stanceColour = (s) => (s >= 0 ? P.colours.stance[L.stance[s]] : "#aaa");
  const scenarioColour = (s) => (s >= 0 ? P.colours.scenario[L.scenario[s]] : "#aaa");
  function pill(labels, idx, colour) {
    return idx >= 0 ? el("span", { class: "pill", style: "background:" + colour(idx) }, labels[idx]) : el("span", { class: "pill unl" }, "unlabelled");
  }

  // --- filter controls -------------------------------------------------------------------------
  function fill(select, options) {
    select.replaceChildren(el("option", { value: "" }, "any"), ...options.map(([v, t]) => el("option", { value: v }, t)));
  }
  fill($("f-stance"), [...L.stance.map((s, i) => [String(i), s]), [UNL, "(unlabelled)"]]);
  fill($("f-scenario"), [...L.scenario.map((s, i) => [String(i), s]), [UNL, "(unlabelled)"]]);
  fill($("f-actor"), C.actor_names.map((a, i) => [String(i), a]));
  fill($("f-type"), [...new Set(C.type.filter(Boolean))].sort().map((t) => [t, t]));
  fill($("f-doc"), D.id.map((d, i) => [String(i), (D.date[i] ? D.date[i] + " · " : "") + D.title[i].slice(0, 60)]));
  for (const f of P.facets) {
    const sel = el("select", { "data-facet": f });
    fill(sel, [...new Set(D.facets[f])].sort().map((v) => [v, v || "(none)"]));
    sel.addEventListener("change", () => { state.facets[f] = sel.value; apply(); });
    $("f-facets").append(el("label", {}, f, sel));
  }
  const controls = { q: "f-q", stance: "f-stance", scenario: "f-scenario", actor: "f-actor", type: "f-type", doc: "f-doc", since: "f-since", until: "f-until", min: "f-min" };
  for (const [key, id] of Object.entries(controls)) {
    $(id).addEventListener(id === "f-q" || id === "f-min" ? "input" : "change", () => { state[key] = $(id).value; apply(); });
  }
  $("f-clear").addEventListener("click", () => {
    for (const key of Object.keys(controls)) state[key] = "";
    state.facets = {};
    syncControls();
    apply();
  });
  function syncControls() {
    for (const [key, id] of Object.entries(controls)) $(id).value = state[key];
    for (const sel of document.querySelectorAll("select[data-facet]")) sel.value = state.facets[sel.dataset.facet] || "";
  }

  // --- filtering ---------------------------------------------------------------------------------
  function labelTest(value, column) {
    if (value === "") return null;
    const want = value === UNL ? -1 : Number(value);
    return (i) => column[i] === want;
  }
  function apply() {
    const t = performance.now();
    const tests = [];
    const q = state.q.trim().toLowerCase();
    if (q) { const h = hay(); tests.push((i) => h[i].includes(q)); }
    for (const [key, col] of [["stance", C.stance], ["scenario", C.scenario]]) { const f = labelTest(state[key], col); if (f) tests.push(f); }
    if (state.actor !== "") { const a = Number(state.actor); tests.push((i) => C.actors[i].includes(a)); }
    if (state.type) tests.push((i) => C.type[i] === state.type);
    if (state.doc !== "") { const d = Number(state.doc); tests.push((i) => C.doc[i] === d); }
    const facets = Object.entries(state.facets).filter(([, v]) => v !== "");
    if (facets.length) {
      const ok = D.id.map((_, d) => facets.every(([f, v]) => D.facets[f][d] === v));
      tests.push((i) => ok[C.doc[i]]);
    }
    if (state.since) tests.push((i) => C.date[i] !== "" && C.date[i] >= state.since);
    if (state.until) tests.push((i) => C.date[i] !== "" && C.date[i] <= state.until);
    if (state.min !== "" && !isNaN(Number(state.min))) { const m = Number(state.min); tests.push((i) => C.scs[i] !== null && C.scs[i] >= m); }
    const out = [];
    outer: for (let i = 0; i < N; i++) { for (const f of tests) if (!f(i)) continue outer; out.push(i); }
    visible = out;
    if (state.sort) sortVisible();
    state.page = 0;
    renderTable();
    renderChips();
    dimDocument();
    dataVersion++;
    const tc = performance.now();
    refreshCharts();
    window.__argmine.lastChartMs = performance.now() - tc;
    window.__argmine.lastFilterMs = performance.now() - t;
    $("status").textContent = `${visible.length} of ${N} claims match` + (P.n_unlabelled ? ` · ${P.n_unlabelled} claims have no label` : "");
  }

  function renderChips() {
    const chips = [];
    const names = { stance: L.stance, scenario: L.scenario, actor: C.actor_names };
    for (const key of Object.keys(controls)) {
      const v = state[key];
      if (v === "") continue;
      let text = v;
      if (names[key]) text = v === UNL ? "(unlabelled)" : names[key][Number(v)];
      if (key === "doc") text = D.title[Number(v)];
      chips.push(el("span", { class: "chip", title: "remove", "data-key": key }, `${key}: ${text} ×`));
    }
    for (const [f, v] of Object.entries(state.facets)) if (v !== "") chips.push(el("span", { class: "chip", "data-facet": f }, `${f}: ${v || "(none)"} ×`));
    $("chips").replaceChildren(...chips);
  }
  $("chips").addEventListener("click", (ev) => {
    const chip = ev.target.closest(".chip");
    if (!chip) return;
    if (chip.dataset.key) state[chip.dataset.key] = ""; else state.facets[chip.dataset.facet] = "";
    syncControls();
    apply();
  });

  // --- the claims table ------------------------------------------------------------------------
  const COLUMNS = [
    ["document", (i) => D.title[C.doc[i]]], ["date", (i) => C.date[i]], ["claim", (i) => C.text[i]],
    ["stance", (i) => (C.stance[i] >= 0 ? L.stance[C.stance[i]] : "")], ["scenario", (i) => (C.scenario[i] >= 0 ? L.scenario[C.scenario[i]] : "")],
    ["score", (i) => C.scs[i]], ["actors", (i) => C.actors[i].map((a) => C.actor_names[a]).join("; ")],
    ["speaker", (i) => C.speaker[i]], ["type", (i) => C.type[i] + (C.hedged[i] ? " (hedged)" : "")],
  ];
  $("claims").tHead.replaceChildren(el("tr", {}, ...COLUMNS.map(([name], k) => el("th", { "data-col": k }, name))));
  $("claims").tHead.addEventListener("click", (ev) => {
    const th = ev.target.closest("th");
    if (!th) return;
    const k = Number(th.dataset.col);
    state.dir = state.sort === k ? -state.dir : 1;
    state.sort = k;
    sortVisible();
    renderTable();
  });
  function sortVisible() {
    const get = COLUMNS[state.sort][1], dir = state.dir;
    visible.sort((a, b) => {
      const x = get(a), y = get(b);
      if (x === y) return a - b;
      if (x === null || x === "") return 1;
      if (y === null || y === "") return -1;
      return (x < y ? -1 : 1) * dir;
    });
  }
  function renderTable() {
    const pages = Math.max(1, Math.ceil(visible.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const rows = visible.slice(state.page * PAGE, (state.page + 1) * PAGE).map((i) =>
      el("tr", { "data-i": i },
        el("td", {}, D.title[C.doc[i]].slice(0, 40)), el("td", {}, C.date[i]), el("td", { class: "text" }, C.text[i]),
        el("td", {}, pill(L.stance, C.stance[i], stanceColour)), el("td", {}, pill(L.scenario, C.scenario[i], scenarioColour)),
        el("td", { class: "num" }, C.scs[i] === null ? "" : C.scs[i].toFixed(2)), el("td", {}, C.actors[i].map((a) => C.actor_names[a]).join(", ")),
        el("td", {}, C.speaker[i]), el("td", {}, C.type[i] + (C.hedged[i] ? " (hedged)" : ""))));
    $("claims").tBodies[0].replaceChildren(...rows);
    $("page").textContent = `page ${state.page + 1} of ${pages} · ${visible.length} claims`;
  }
  $("prev").addEventListener("click", () => { if (state.page > 0) { state.page--; renderTable(); } });
  $("next").addEventListener("click", () => { if ((state.page + 1) * PAGE < visible.length) { state.page++; renderTable(); } });
  $("claims").tBodies[0].addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr");
    if (tr) openDocument(C.doc[Number(tr.dataset.i)], Number(tr.dataset.i));
  });

  // --- downloads of the filtered claims ----------------------------------------------------------
  function records() {
    return visible.map((i) => ({
      claim_id: C.id[i], doc_id: D.id[C.doc[i]], date: C.date[i], start: C.start[i], end: C.end[i], text: C.text[i],
      stance: C.stance[i] >= 0 ? L.stance[C.stance[i]] : null, stance_score: C.sts[i],
      scenario: C.scenario[i] >= 0 ? L.scenario[C.scenario[i]] : null, scenario_score: C.scs[i],
      actors: C.actors[i].map((a) => C.actor_names[a]), speaker: C.speaker[i], claim_type: C.type[i] || null, hedged: C.hedged[i],
      ...Object.fromEntries(P.facets.map((f) => [f, D.facets[f][C.doc[i]]])),
    }));
  }
  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  // A text cell starting with = + - @ tab or CR gets a leading ' so a spreadsheet never runs it (argmine.writers.csv_safe).
  const csvSafe = (v) => (typeof v === "string" && /^[=+\-@\t\r]/.test(v) ? "'" + v : v);
  const csvCell = (v) => { const s = Array.isArray(v) ? csvSafe(v.join("; ")) : v === null || v === undefined ? "" : String(csvSafe(v)); return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
  $("dl-json").addEventListener("click", () => download("claims_filtered.json", JSON.stringify(records(), null, 1), "application/json"));
  $("dl-csv").addEventListener("click", () => {
    const rows = records();
    const cols = rows.length ? Object.keys(rows[0]) : ["claim_id"];
    download("claims_filtered.csv", [cols.join(","), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(","))].join("\n") + "\n", "text/csv");
  });

  // --- documents, rendered when opened -----------------------------------------------------------
  const BLOCK = { title: "h2", heading: "h3", list_item: "li", reference: "li" };
  function openDocument(d, focus) {
    if (!bodies) bodies = JSON.parse($("bodies").textContent);
    const text = bodies.text[d], doc = $("doc");
    const head = el("p", { class: "muted" }, [D.date[d], D.author[d], ...P.facets.map((f) => D.facets[f][d])].filter(Boolean).join(" · "));
    const parts = [head];
    if (text === null) {
      parts.push(el("p", { class: "warn" }, "The text of this document is not in the results folder; its claims:"));
      for (const i of docClaims[d]) parts.push(el("p", {}, markClaim(i, C.text[i], true)));
    } else {
      let blocks = bodies.segments[d];
      if (!blocks.length) { let pos = 0; blocks = []; for (const line of text.split("\n")) { if (line.trim()) blocks.push([4, pos, pos + line.length]); pos += line.length + 1; } }
      let list = null;
      for (const [kind, s, e] of blocks) {
        const name = P.segment_kinds[kind] || "paragraph";
        const node = el(BLOCK[name] || "p", { class: "seg-" + name }, ...renderSpan(text, s, e, docClaims[d]));
        if (node.tagName === "LI") { if (!list) { list = el("ul"); parts.push(list); } list.append(node); } else { list = null; parts.push(node); }
      }
    }
    doc.replaceChildren(...parts);
    doc.hidden = false;
    $("doc-hint").textContent = D.title[d];
    showTab("document");
    dimDocument();
    const target = focus !== undefined ? doc.querySelector(`mark[data-i="${focus}"]`) : null;
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.dataset.focused = "1";  // stays, unlike the flash (tests check it on slow machines)
      target.classList.add("flash");
      setTimeout(() => target.classList.remove("flash"), 1500);
    }
  }
  function renderSpan(text, start, end, claims) {
    const out = [];
    let pos = start;
    for (const i of claims) {
      const s = Math.max(C.start[i], pos), e = Math.min(C.end[i], end);
      if (e <= s) continue;
      out.push(text.slice(pos, s), markClaim(i, text.slice(s, e), e === C.end[i]));
      pos = e;
    }
    out.push(text.slice(pos, end));
    return out;
  }
  function markClaim(i, piece, last) {
    const tip = [`stance: ${C.stance[i] >= 0 ? L.stance[C.stance[i]] : "unlabelled"} ${C.sts[i] === null ? "" : C.sts[i].toFixed(2)}`,
      `scenario: ${C.scenario[i] >= 0 ? L.scenario[C.scenario[i]] : "unlabelled"} ${C.scs[i] === null ? "" : C.scs[i].toFixed(2)}`,
      `speaker: ${C.speaker[i]}`, `type: ${C.type[i] || "–"}${C.hedged[i] ? " (hedged)" : ""}`, `claim: ${C.id[i]}`].join("\n");
    const m = el("mark", { class: "claim", "data-i": i, title: tip, style: "border-bottom-color:" + stanceColour(C.stance[i]) }, piece);
    if (last) {
      if (C.scenario[i] >= 0) m.append(el("span", { class: "badge", style: "background:" + scenarioColour(C.scenario[i]) }, L.scenario[C.scenario[i]]));
      for (const a of C.actors[i]) m.append(el("span", { class: "actor" }, C.actor_names[a]));
    }
    return m;
  }
  function dimDocument() {
    const marks = $("doc").querySelectorAll("mark.claim");
    if (!marks.length) return;
    const keep = new Set(visible);
    for (const m of marks) m.classList.toggle("dim", !keep.has(Number(m.dataset.i)));
  }
  $("doc").addEventListener("click", (ev) => { const m = ev.target.closest("mark"); if (m) m.classList.toggle("flash"); });

  // --- charts: Vega-Lite, a click on a mark sets filters -----------------------------------------
  const embedded = new Set();
  // The charts follow the filter: each named dataset of a chart is recomputed from the visible claims
  // (recipe from report_charts.py) and swapped in with view.data; hidden charts catch up when shown.
  const UNLABELLED = "(unlabelled)", NONE = "(none)";
  let dataVersion = 0;
  const chartVersion = {};
  function periodOf(date, by) {
    if (!/^\d{4}-\d{2}-\d{2}/.test(date)) return null;
    if (by === "year") return date.slice(0, 4);
    if (by === "quarter") return date.slice(0, 4) + "-Q" + (Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1);
    return date.slice(0, 7);
  }
  function claimValues(source, i, by) {
    if (source === "stance") return [C.stance[i] >= 0 ? L.stance[C.stance[i]] : UNLABELLED];
    if (source === "scenario") return [C.scenario[i] >= 0 ? L.scenario[C.scenario[i]] : UNLABELLED];
    if (source === "actor") return C.actors[i].map((a) => C.actor_names[a]);
    if (source === "period") { const p = periodOf(C.date[i], by); return p === null ? [] : [p]; }
    return [D.facets[source.slice(6)][C.doc[i]] || NONE];  // "facet:<column>"
  }
  function aggregate(recipe, by) {
    const fields = Object.keys(recipe.keys), sources = Object.values(recipe.keys), share = recipe.measure === "share";
    const only = fields.map((f) => (recipe.only && recipe.only[f] ? new Set(recipe.only[f]) : null));
    const groups = new Map();
    for (const i of visible) {
      if (share && C.scenario[i] < 0) continue;  // the profile weighs labelled claims only
      let combos = [[]];
      for (let k = 0; k < fields.length; k++) {
        const vals = claimValues(sources[k], i, by).filter((v) => !only[k] || only[k].has(v));
        combos = vals.length === 1 ? combos.map((c) => c.concat(vals)) : combos.flatMap((c) => vals.map((v) => c.concat([v])));
      }
      const w = share ? (C.scs[i] === null ? 1 : C.scs[i]) : 1;
      for (const c of combos) {
        const key = c.join("\u0001"), g = groups.get(key);
        if (g) g.n += w; else groups.set(key, { c, n: w });
      }
    }
    const rows = [...groups.values()].map(({ c, n }) => Object.fromEntries([...fields.map((f, k) => [f, c[k]]), [share ? "weight" : "claims", n]]));
    if (share) {
      const total = {};
      for (const r of rows) total[r.period] = (total[r.period] || 0) + r.weight;
      for (const r of rows) r.share = r.weight / total[r.period];
    }
    return rows;
  }
  function shown(name) {
    const div = $("chart-" + name);
    return Boolean(div) && !div.hidden && div.closest("section.panel").classList.contains("on");
  }
  function updateChart(name) {
    const view = window.__argmine.views[name], chart = P.charts[name];
    if (!view || chartVersion[name] === dataVersion) return;
    // all claims shown: the aggregates Python computed (copied without Vega's tuple ids), else recompute
    const all = visible.length === N;
    for (const recipe of chart.data) {
      view.data(recipe.name, all ? chart.spec.datasets[recipe.name].map((r) => Object.fromEntries(Object.entries(r))) : aggregate(recipe, chart.by));
    }
    view.run();
    chartVersion[name] = dataVersion;
  }
  // for the tests: a chart's datasets recomputed in the page from the visible claims
  window.__argmine.aggregate = (name) => Object.fromEntries(P.charts[name].data.map((r) => [r.name, aggregate(r, P.charts[name].by)]));
  function refreshCharts() {
    for (const name of Object.keys(window.__argmine.views)) if (shown(name)) updateChart(name);
  }
  function periodRange(label, by) {
    if (by === "year") return [label + "-01-01", label + "-12-31"];
    let y, m0, m1;
    if (by === "quarter") { const [yy, q] = label.split("-Q"); y = yy; m0 = (Number(q) - 1) * 3 + 1; m1 = m0 + 2; } else { [y, m0] = label.split("-"); m0 = Number(m0); m1 = m0; }
    const last = new Date(Date.UTC(Number(y), m1, 0)).getUTCDate();
    return [`${y}-${String(m0).padStart(2, "0")}-01`, `${y}-${String(m1).padStart(2, "0")}-${last}`];
  }
  function onChartClick(chart, datum) {
    if (!datum) return;
    for (const [field, filter] of Object.entries(chart.filters)) {
      const v = datum[field];
      if (v === undefined || v === null) continue;
      if (filter === "stance" || filter === "scenario") state[filter] = v === "(unlabelled)" ? UNL : String(L[filter].indexOf(v));
      else if (filter === "actor") state.actor = String(C.actor_names.indexOf(v));
      else if (filter === "period") [state.since, state.until] = periodRange(String(v), chart.by);
      else if (filter.startsWith("facet:")) state.facets[filter.slice(6)] = v === "(none)" ? "" : String(v);
    }
    syncControls();
    apply();
    showTab("claims");
  }
  function embed(name, container) {
    const chart = P.charts[name];
    if (!chart || embedded.has(name)) return Promise.resolve();
    embedded.add(name);
    const div = el("div", { class: "chart", id: "chart-" + name });
    $(container).append(div);
    return vegaEmbed(div, chart.spec, { actions: false, renderer: "canvas" }).then((res) => {
      window.__argmine.views[name] = res.view;
      chartVersion[name] = visible.length === N ? dataVersion : -1;  // the spec's data: all claims
      res.view.addEventListener("click", (ev, item) => onChartClick(chart, item && item.datum));
    }).catch((err) => { div.textContent = "chart failed: " + err; });
  }
  const TAB_CHARTS = {
    overview: () => Promise.all(["stance_scenario", ...P.facets.map((f) => "facet_" + f)].map((n) => embed(n, "charts-overview"))),
    actors: () => Promise.all(["actor_stance", "actor_scenario"].map((n) => embed(n, "charts-actors"))),
    timeline: () => {
      const by = $("period-by").value;
      if (!P.charts["timeline_" + by]) $("charts-timeline").replaceChildren(el("p", { class: "muted" }, "No claim has a date: nothing to draw."));
      return embed("timeline_" + by, "charts-timeline").then(() => {
        for (const div of $("charts-timeline").children) div.hidden = div.id !== "chart-timeline_" + by;
      });
    },
  };
  $("period-by").addEventListener("change", () => TAB_CHARTS.timeline().then(refreshCharts));
  function showTab(name) {
    for (const b of $("tabs").children) b.classList.toggle("on", b.dataset.tab === name);
    for (const s of document.querySelectorAll("section.panel")) s.classList.toggle("on", s.id === "p-" + name);
    if (TAB_CHARTS[name]) TAB_CHARTS[name]().then(refreshCharts);
  }
  $("tabs").addEventListener("click", (ev) => { const b = ev.target.closest("button"); if (b) showTab(b.dataset.tab); });

  // --- the per-actor table -----------------------------------------------------------------------
  const at = P.actor_table;
  $("actor-table").replaceChildren(el("thead", {}, el("tr", {}, ...at.columns.map((c) => el("th", {}, c)))),
    el("tbody", {}, ...at.rows.map((r) => el("tr", { "data-actor": r[0] }, ...r.map((v) => el("td", {}, v))))));
  $("actor-table").addEventListener("click", (ev) => {
    const tr = ev.target.closest("tr[data-actor]");
    if (!tr) return;
    state.actor = String(C.actor_names.indexOf(tr.dataset.actor));
    syncControls();
    apply();
    showTab("claims");
  });

  apply();
  TAB_CHARTS.overview().then(() => {
    window.__argmine.loadMs = performance.now();  // since navigation start: file read, parse, data, charts
    window.__argmine.scriptMs = performance.now() - T0;
    window.__argmine.ready = true;
  });
})();
