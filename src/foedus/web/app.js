// foedus page: plain JavaScript and SVG over the JSON API (no libraries, works offline).
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const $ = (sel) => document.querySelector(sel);
const names = new Map(); // state id -> display name, filled from every network fetched

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function showError(message) {
  const box = $("#error");
  box.textContent = message;
  box.hidden = !message;
}

// Every call goes through here: a 4xx/5xx becomes one readable line in the error banner.
async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    throw new Error(`the server did not answer (${err.message})`);
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || body.detail || `${response.status} ${response.statusText}`);
  return body;
}

const nameOf = (id) => names.get(id) || id;
const today = () => new Date().toISOString().slice(0, 10);

// ---- the network graph -------------------------------------------------------------

// Node radius grows with the square root of its degree. Every node carries its ISO3 code (the layout
// keeps centres far enough apart for three letters); full names sit in a layer on top, shown for
// selected, highlighted and hovered states, and for all once zoomed in, unless they would overlap.
function radius(degree, maxDegree) {
  return 0.016 + 0.018 * Math.sqrt(degree / Math.max(maxDegree, 1));
}

function drawNetwork(svg, net, onSelect) {
  svg.replaceChildren();
  for (const n of net.nodes) names.set(n.id, n.name);
  const pos = new Map(net.nodes.map((n) => [n.id, n]));
  const edges = svgEl("g", { class: "edges" });
  for (const e of net.edges) {
    const a = pos.get(e.source), b = pos.get(e.target);
    const line = svgEl("line", {
      x1: a.x, y1: a.y, x2: b.x, y2: b.y,
      class: `edge rank-${e.rank}`, "data-source": e.source, "data-target": e.target,
    });
    const title = svgEl("title");
    title.textContent = `${a.name} – ${b.name}: ${e.strength} (${e.treaties.join(", ")})`;
    line.appendChild(title);
    edges.appendChild(line);
  }
  const nodes = svgEl("g", { class: "nodes" }), labels = svgEl("g", { class: "labels" });
  const maxDegree = Math.max(0, ...net.nodes.map((n) => n.degree));
  for (const n of [...net.nodes].sort((a, b) => b.degree - a.degree)) {
    const g = svgEl("g", { class: "node", "data-id": n.id, tabindex: "0", transform: `translate(${n.x} ${n.y})` });
    const r = radius(n.degree, maxDegree);
    const title = svgEl("title");
    title.textContent = `${n.name} (${n.id}): bound with ${n.degree} state${n.degree === 1 ? "" : "s"}`;
    const code = svgEl("text", { class: "code", dy: "0.35em" });
    code.textContent = n.id;
    g.append(title, svgEl("circle", { r }), code);
    const name = svgEl("text", { class: "name", "data-id": n.id, x: n.x, y: n.y - r - 0.006 });
    name.textContent = n.name;
    labels.appendChild(name);
    g.addEventListener("pointerenter", () => name.classList.add("hover"));
    g.addEventListener("pointerleave", () => name.classList.remove("hover"));
    if (onSelect) {
      g.addEventListener("click", () => onSelect(n, net));
      g.addEventListener("keydown", (ev) => { if (ev.key === "Enter") onSelect(n, net); });
    }
    nodes.appendChild(g);
  }
  svg.append(edges, nodes, labels);
  svg.fit = fitView(net.nodes);
  setView(svg, svg.zoomed ? viewOf(svg) : svg.fit);
}

// The box around every node, with a margin, never smaller than MIN_SPAN (a two-state network would
// otherwise fill the frame).
const MIN_SPAN = 1.2;

function fitView(nodes) {
  if (!nodes.length) return { x: -1.15, y: -1.15, w: 2.3, h: 2.3 };
  const xs = nodes.map((n) => n.x), ys = nodes.map((n) => n.y);
  const span = (lo, hi) => {
    const w = Math.max(hi - lo + 0.18, MIN_SPAN);
    return [(lo + hi - w) / 2, w];
  };
  const [x, w] = span(Math.min(...xs), Math.max(...xs)), [y, h] = span(Math.min(...ys), Math.max(...ys));
  return { x, y, w, h };
}

// Show the wanted full-name labels, most important first, skipping any that would overlap one shown.
function placeNames(svg) {
  const node = new Map([...svg.querySelectorAll(".node")].map((g) => [g.dataset.id, g]));
  const rank = (t) => {
    const g = node.get(t.dataset.id);
    if (g.classList.contains("selected") || g.classList.contains("target") || g.classList.contains("attacker")) return 0;
    return NODE_CLASSES.some((c) => g.classList.contains(c)) ? 1 : svg.classList.contains("zoomed") ? 2 : 3;
  };
  const shown = [];
  for (const t of [...svg.querySelectorAll(".labels text")].map((x) => [rank(x), x]).sort((a, b) => a[0] - b[0])) {
    const [r, text] = t;
    text.classList.remove("shown");
    if (r === 3) continue;
    const box = text.getBoundingClientRect();
    const free = !shown.some((b) => box.left < b.right && b.left < box.right && box.top < b.bottom && b.top < box.bottom);
    if (free) { shown.push(box); text.classList.add("shown"); }
  }
}

// ---- zoom and pan: the wheel zooms about the pointer, a drag pans, "fit" shows everything ----

const ZOOM_LIMITS = [1, 25]; // relative to the fitted view, which shows everything

function setView(svg, v) {
  svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
  const zoom = svg.fit ? Math.max(svg.fit.w / v.w, svg.fit.h / v.h) : 1;
  svg.style.setProperty("--zoom", zoom);
  svg.classList.toggle("zoomed", zoom >= 2);
  placeNames(svg);
}

function viewOf(svg) {
  const [x, y, w, h] = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
  return { x, y, w, h };
}

function toUser(svg, clientX, clientY) {
  return new DOMPoint(clientX, clientY).matrixTransform(svg.getScreenCTM().inverse());
}

// The part of the drawing on screen: the viewBox widened to the element's shape, so that zooming
// keeps the point under the pointer in place.
function visibleView(svg) {
  const r = svg.getBoundingClientRect(), left = r.left + svg.clientLeft, top = r.top + svg.clientTop; // inside the border
  const a = toUser(svg, left, top), b = toUser(svg, left + svg.clientWidth, top + svg.clientHeight);
  return { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
}

function zoomAbout(svg, factor, at) {
  const v = visibleView(svg), fit = svg.fit || v;
  const zoom = Math.max(fit.w / v.w, fit.h / v.h);
  const f = zoom / Math.min(Math.max(zoom / factor, ZOOM_LIMITS[0]), ZOOM_LIMITS[1]); // clamped to the limits
  svg.zoomed = true;
  setView(svg, { x: at.x - (at.x - v.x) * f, y: at.y - (at.y - v.y) * f, w: v.w * f, h: v.h * f });
}

function enableZoom(svg) {
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    zoomAbout(svg, Math.exp(Math.max(-1, Math.min(1, ev.deltaY * 0.002))), toUser(svg, ev.clientX, ev.clientY));
  }, { passive: false });
  let drag = null, dragged = false;
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, view: viewOf(svg), scale: svg.getScreenCTM().a, id: ev.pointerId };
    dragged = false;
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (!dragged && Math.hypot(dx, dy) < 4) return;
    if (!dragged) svg.setPointerCapture(drag.id);
    dragged = true;
    svg.zoomed = true;
    svg.classList.add("panning");
    setView(svg, { ...drag.view, x: drag.view.x - dx / drag.scale, y: drag.view.y - dy / drag.scale });
  });
  const end = () => { drag = null; svg.classList.remove("panning"); };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  // a drag that ends on a node is a pan, not a click on that node
  svg.addEventListener("click", (ev) => { if (dragged) { ev.stopPropagation(); dragged = false; } }, true);
  const box = svg.closest(".graph-box");
  const centre = () => { const v = visibleView(svg); return { x: v.x + v.w / 2, y: v.y + v.h / 2 }; };
  box.querySelector("button.zoom-in").addEventListener("click", () => zoomAbout(svg, 1 / 1.5, centre()));
  box.querySelector("button.zoom-out").addEventListener("click", () => zoomAbout(svg, 1.5, centre()));
  box.querySelector("button.fit").addEventListener("click", () => { svg.zoomed = false; setView(svg, svg.fit); });
}

let selectRequest = 0; // a later click wins over an earlier answer still on its way

// What a state owes is fetched when it is selected: the network itself carries only the pairs.
async function selectNode(node, net) {
  const mine = ++selectRequest;
  $("#net-detail-title").textContent = `${node.name} (${node.id})`;
  const list = $("#net-detail");
  list.replaceChildren(el("li", {}, "loading…"));
  for (const g of document.querySelectorAll("#net-svg .node")) g.classList.toggle("selected", g.dataset.id === node.id);
  placeNames($("#net-svg"));
  let owes;
  try {
    ({ owes } = await api(`/api/network/${encodeURIComponent(node.id)}?on=${encodeURIComponent(net.on)}`));
  } catch (err) {
    if (mine === selectRequest) { list.replaceChildren(); showError(err.message); }
    return;
  }
  if (mine !== selectRequest) return;
  list.replaceChildren();
  for (const o of owes) {
    const art = o.article ? `Art. ${o.article}` : "no article";
    const unconfirmed = o.unconfirmed ? `: ${o.unconfirmed}` : "";
    list.appendChild(el("li", {}, `owes ${nameOf(o.beneficiary)}: ${o.kind}, ${o.strength} (${o.treaty}, ${art})${unconfirmed}`));
  }
  if (!list.children.length) list.appendChild(el("li", {}, "owes nothing to anyone on this date"));
}

let networkRequest = 0; // answers can arrive out of order: only the latest request is drawn

async function loadNetwork(day) {
  const mine = ++networkRequest;
  try {
    const net = await api(`/api/network?on=${encodeURIComponent(day)}`);
    if (mine !== networkRequest) return;
    showError("");
    drawNetwork($("#net-svg"), net, selectNode);
    // the first network on screen: browser tests and benchmarks read this mark's time
    if (!performance.getEntriesByName("network-painted").length) performance.mark("network-painted");
    $("#net-summary").textContent = `${net.on}: ${net.nodes.length} states, ${net.edges.length} bound pairs`;
    const slider = $("#net-year");
    [slider.min, slider.max] = net.years;
  } catch (err) {
    if (mine === networkRequest) showError(err.message);
  }
}

function initNetwork() {
  const slider = $("#net-year"), picker = $("#net-date");
  const thisYear = new Date().getFullYear();
  slider.max = thisYear;
  slider.value = thisYear;
  picker.value = today();
  let timer;
  slider.addEventListener("input", () => {
    const y = Number(slider.value);
    picker.value = y === thisYear ? today() : `${String(y).padStart(4, "0")}-07-01`;
    clearTimeout(timer);
    timer = setTimeout(() => loadNetwork(picker.value), 120);
  });
  picker.addEventListener("change", () => {
    if (!picker.value) return showError("bad date: use the date picker (YYYY-MM-DD)");
    slider.value = picker.value.slice(0, 4);
    loadNetwork(picker.value);
  });
  loadNetwork(picker.value);
}

async function initLegend() {
  try {
    const { rubric } = await api("/api/strength");
    const legend = $("#legend");
    for (const r of rubric) {
      const li = el("li");
      const swatch = svgEl("svg", { width: 36, height: 10 });
      swatch.appendChild(svgEl("line", { x1: 0, y1: 5, x2: 36, y2: 5, class: `edge rank-${r.rank}` }));
      li.append(swatch, ` ${r.class}: ${r.meaning}`);
      legend.appendChild(li);
    }
  } catch (err) {
    showError(err.message);
  }
}

// ---- scenarios ---------------------------------------------------------------------

// The cascade's entries grouped by round (round 0, the belligerents themselves, is the title).
function roundsOf(war) {
  const rounds = [];
  for (let r = 1; r <= war.rounds; r++) {
    rounds.push({ round: r, entries: war.entries.filter((e) => e.round === r), conflicts: war.conflicts.filter((c) => c.round === r) });
  }
  return rounds;
}

function showArticle(f) {
  $("#article").hidden = false;
  $("#article-title").textContent = `${f.treaty_name}, Article ${f.article ?? "(none)"}`;
  $("#article-text").textContent = f.text || "The article's text is not quoted in the corpus.";
  $("#article-reasons").textContent = `${nameOf(f.obligor)} → ${nameOf(f.beneficiary)}: ${f.status}. ${f.reasons.join("; ")}`;
}

const NODE_CLASSES = ["target", "attacker", "obligated", "aggressor-ally", "conflict"];

function highlight(svg, event, rounds, upTo) {
  const cls = new Map([[event.target, "target"], ...event.attackers.map((a) => [a, "attacker"])]);
  for (const r of rounds.filter((x) => x.round <= upTo)) {
    for (const e of r.entries) cls.set(e.state, e.side === "defender" ? "obligated" : "aggressor-ally");
    for (const c of r.conflicts) if (!cls.has(c.state)) cls.set(c.state, "conflict");
  }
  for (const g of svg.querySelectorAll(".node")) {
    g.classList.remove(...NODE_CLASSES);
    if (cls.has(g.dataset.id)) g.classList.add(cls.get(g.dataset.id));
  }
  for (const div of document.querySelectorAll("#rounds .round")) div.classList.toggle("shown", Number(div.dataset.round) <= upTo);
  placeNames(svg);
}

function renderRounds(event, rounds, svg) {
  const box = $("#rounds");
  box.replaceChildren();
  for (const r of rounds) {
    const div = el("div", { class: "round", "data-round": r.round });
    const button = el("button", { type: "button" }, `Round ${r.round}`);
    button.addEventListener("click", () => highlight(svg, event, rounds, r.round));
    div.append(button, " enter the war: ");
    if (!r.entries.length) div.append("no one");
    for (const e of r.entries) {
      const chip = el("button", { type: "button", class: `state ${e.side === "defender" ? "obligated" : "aggressor-ally"}`,
        "data-id": e.state, title: `on the ${e.side} side; click for the article` }, nameOf(e.state));
      chip.addEventListener("click", () => showArticle(e.findings[0]));
      div.appendChild(chip);
    }
    for (const c of r.conflicts) {
      const chip = el("button", { type: "button", class: "state conflict", "data-id": c.state,
        title: "bound to both sides; click for an article" }, `${nameOf(c.state)} (bound to both sides)`);
      chip.addEventListener("click", () => showArticle(c.findings[0]));
      div.appendChild(chip);
    }
    box.appendChild(div);
  }
  if (!rounds.length) box.appendChild(el("p", {}, "No treaty obliges any state to join either side."));
  highlight(svg, event, rounds, rounds.length);
}

function renderFindings(doc) {
  const body = $("#findings tbody");
  body.replaceChildren();
  for (const f of doc.findings) {
    const tr = el("tr", { class: `status-${f.status}` });
    tr.append(el("td", {}, nameOf(f.obligor)), el("td", {}, nameOf(f.beneficiary)), el("td", {}, f.treaty_name));
    const td = el("td");
    const link = el("button", { type: "button", class: "article-link", "data-treaty": f.treaty, "data-article": f.article ?? "" },
      f.article ? `Art. ${f.article}` : "—");
    link.addEventListener("click", () => showArticle(f));
    td.appendChild(link);
    tr.append(td, el("td", {}, f.kind), el("td", {}, f.status), el("td", {}, f.strength));
    tr.title = f.reasons.join("; ");
    body.appendChild(tr);
  }
  if (!doc.findings.length) {
    body.appendChild(el("tr", {}, "")).appendChild(el("td", { colspan: 7 }, "No treaty in the corpus binds any state to either side of this event."));
  }
  const notes = $("#notes");
  notes.replaceChildren(...doc.notes.map((n) => el("li", {}, n)));
  $("#scenario-sources").textContent = doc.meta.sources.length
    ? "Sources: " + doc.meta.sources.map((s) => `${s.treaty}: ${s.citation}`).join(" · ") : "";
}

let scenarioRequest = 0; // only the latest submission is shown

async function runScenario(ev) {
  ev.preventDefault();
  const mine = ++scenarioRequest;
  const form = new FormData(ev.target);
  const body = { target: form.get("target").trim(), act: form.get("act") };
  const attacker = form.get("attacker").trim();
  if (attacker) body.attackers = attacker.split(",").map((s) => s.trim()).filter(Boolean);
  if (form.get("place")) body.place = form.get("place");
  if (form.get("on")) body.on = form.get("on");
  try {
    const post = (path) => api(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const [doc, war] = await Promise.all([post("/api/assess"), post("/api/cascade")]);
    const net = await api(`/api/network?on=${doc.event.on}`);
    for (const e of [...war.entries, ...war.conflicts]) names.set(e.state, e.name);
    for (const n of net.nodes) names.set(n.id, n.name);
    // the attacker and target belong on the drawing even when no treaty binds them on that date
    const parties = [doc.event.target, ...doc.event.attackers];
    const missing = parties.filter((id) => !net.nodes.some((n) => n.id === id));
    for (const [i, id] of missing.entries()) {
      if (!names.has(id)) names.set(id, (await api(`/api/states/${encodeURIComponent(id)}`)).name);
      net.nodes.push({ id, name: nameOf(id), x: -0.9 + 0.45 * i, y: 1.07, degree: 0 });
    }
    if (mine !== scenarioRequest) return;
    showError("");
    const svg = $("#scenario-svg");
    svg.zoomed = false; // a new scenario starts from the whole network
    drawNetwork(svg, net, null);
    const attackers = doc.event.attackers.map(nameOf).join(", ") || "an unnamed attacker";
    $("#scenario-title").textContent = `${doc.event.act} on ${nameOf(doc.event.target)} by ${attackers}: ${doc.event.place.name}, ${doc.event.on}`;
    $("#article").hidden = true;
    renderRounds(doc.event, roundsOf(war), svg);
    renderFindings(doc);
    $("#scenario-result").hidden = false;
    placeNames(svg); // label sizes are known only once the drawing is on screen
  } catch (err) {
    if (mine !== scenarioRequest) return;
    showError(err.message);
    $("#scenario-result").hidden = true;
  }
}

async function initScenario() {
  $("#scenario-form").addEventListener("submit", runScenario);
  $("#scenario-form").elements.on.value = today();
  try {
    const { places } = await api("/api/places");
    const select = $("#scenario-form").elements.place;
    for (const p of places) select.appendChild(el("option", { value: p.name }, p.name));
  } catch (err) {
    showError(err.message);
  }
}

// ---- treaty comparison -------------------------------------------------------------

async function runCompare(ev) {
  ev.preventDefault();
  const form = new FormData(ev.target);
  try {
    const c = await api(`/api/compare?a=${encodeURIComponent(form.get("a"))}&b=${encodeURIComponent(form.get("b"))}`);
    showError("");
    $("#compare-a").textContent = c.a.name;
    $("#compare-b").textContent = c.b.name;
    $("#compare-verdict").textContent = c.stronger ? `The stronger promise is in ${c.stronger}.` : "Strongest promises are equal in class.";
    const body = $("#compare-table tbody");
    body.replaceChildren();
    const diffs = $("#compare-diffs");
    diffs.replaceChildren();
    for (const r of c.rows) {
      const fields = Object.keys(r.a || r.b);
      for (const f of fields) {
        const tr = el("tr");
        tr.append(el("th", {}, `${r.kind}: ${f}`), el("td", {}, r.a ? r.a[f] : "—"), el("td", {}, r.b ? r.b[f] : "—"));
        body.appendChild(tr);
      }
      const block = el("div", { class: "diff", "data-kind": r.kind });
      block.appendChild(el("h3", {}, `${r.kind}: article text`));
      if (r.diff) {
        const p = el("p");
        for (const d of r.diff) p.append(el(d.op === "-" ? "del" : d.op === "+" ? "ins" : "span", {}, d.text), " ");
        block.appendChild(p);
      } else {
        const side = el("div", { class: "side" });
        side.append(el("blockquote", {}, r.text_a || "(no text)"), el("blockquote", {}, r.text_b || "(no text)"));
        block.appendChild(side);
      }
      diffs.appendChild(block);
    }
    $("#compare-result").hidden = false;
  } catch (err) {
    showError(err.message);
  }
}

// The picker is a search box over every treaty (name, id, year): the browser filters the list as
// one types. The view opens on the pair most visitors come for, already compared.
async function initCompare() {
  const form = $("#compare-form");
  form.addEventListener("submit", runCompare);
  form.requestSubmit();
  try {
    const { treaties } = await api("/api/treaties");
    $("#treaty-ids").replaceChildren(
      ...treaties.map((t) => el("option", { value: t.id, label: `${t.name} (${t.in_force.slice(0, 4)})` })));
  } catch (err) {
    showError(err.message);
  }
}

// ---- views -------------------------------------------------------------------------

function showView(name) {
  for (const s of document.querySelectorAll(".view")) s.hidden = s.id !== `view-${name}`;
  for (const b of document.querySelectorAll("nav button")) b.classList.toggle("active", b.dataset.view === name);
  for (const svg of document.querySelectorAll(`#view-${name} svg.graph`)) placeNames(svg);
  showError("");
}

document.addEventListener("DOMContentLoaded", () => {
  for (const b of document.querySelectorAll("nav button")) b.addEventListener("click", () => showView(b.dataset.view));
  for (const svg of document.querySelectorAll("svg.graph")) enableZoom(svg);
  initLegend();
  initNetwork();
  initScenario();
  initCompare();
});
