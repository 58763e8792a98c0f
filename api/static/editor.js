// The SPARQL editor: YASGUI with poa-kg's endpoint and prefixes preset, no autocompleter that
// calls an outside service, the catalogue of named queries, a bar chart for counting queries, and
// result links to this dataset's IRIs pointed at this server's pages.
(function () {
  "use strict";
  const catalogue = JSON.parse(document.getElementById("catalogue-data").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes-data").textContent);
  const endpoint = document.getElementById("endpoint").textContent.trim();
  // [IRI start, address here], most specific first (api/routes/pages.py local_addresses)
  const local = JSON.parse(document.getElementById("local-data").textContent);

  // "prefixes" asks prefix.cc, "property" and "class" ask the LOV service: keep local ones only
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(
    (name) => !["prefixes", "property", "class"].includes(name)
  );
  const header = Object.entries(prefixes)
    .map(([prefix, iri]) => `PREFIX ${prefix}: <${iri}>`)
    .join("\n");
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }] },
    persistenceId: null,
    yasqe: { value: `${header}\n\nSELECT ?commitment ?text WHERE {\n  ?commitment a poa:Commitment ;\n    prov:wasDerivedFrom/poa:text ?text .\n} LIMIT 10` },
  });

  function tab() {
    return yasgui.getTab();
  }

  document.querySelectorAll("button.example").forEach((button) => {
    button.addEventListener("click", () => {
      const entry = catalogue.find((e) => e.name === button.dataset.name);
      tab().setQuery(entry.query);
      tab().query();
    });
  });

  // ---- links to the dataset's own IRIs open on this server; the text shown stays the IRI
  function here(iri) {
    const found = local.find(([start]) => iri.startsWith(start));
    return found ? found[1] + iri.slice(found[0].length) : iri;
  }
  function pointHere(root) {
    root.querySelectorAll("a.iri[href]").forEach((a) => {
      const href = a.getAttribute("href");
      const target = here(href);
      if (target !== href) {
        a.setAttribute("href", target);
        a.dataset.iri = href;
      }
    });
  }
  // YASR draws (and redraws, per table page) its cells itself: rewrite links as they appear
  const results = document.getElementById("yasgui");
  new MutationObserver(() => pointHere(results)).observe(results, { childList: true, subtree: true });

  // ---- a bar chart for answers with one label column and one numeric column
  const chart = document.getElementById("chart");
  // after the response is drawn (YASR has parsed it by then)
  yasgui.on("queryResponse", () => setTimeout(chartFromResults, 0));

  function chartFromResults() {
    const results = tab().getYasr().results;
    chart.hidden = true;
    if (!results || !results.getBindings) return;
    const variables = results.getVariables();
    const rows = results.getBindings() || [];
    const isNumber = (term) =>
      term && term.datatype && /#(integer|decimal|double|float|int|long)$/.test(term.datatype);
    const numbers = variables.filter((v) => rows.length > 0 && rows.every((r) => isNumber(r[v])));
    // the count is usually the last numeric column; the other bound columns name the bar
    const numeric = numbers[numbers.length - 1];
    const labels = variables.filter((v) => v !== numeric && rows.every((r) => r[v]) && !numbers.includes(v));
    if (!numeric || labels.length === 0 || rows.length > 200) return; // beyond: unreadable
    draw(
      rows.map((r) => [labels.map((v) => short(r[v].value)).join(" · "), Number(r[numeric].value)]),
      `${numeric} by ${labels.join(", ")}`
    );
  }

  function short(value) {
    const cut = Math.max(value.lastIndexOf("/"), value.lastIndexOf("#"));
    return value.startsWith("http") && cut > 0 ? value.slice(cut + 1) : value;
  }

  function draw(pairs, title) {
    const svg = chart.querySelector("svg");
    const ns = "http://www.w3.org/2000/svg";
    const rowHeight = 18, labelWidth = 260, width = 720;
    const max = Math.max(...pairs.map((p) => p[1]), 1);
    svg.setAttribute("viewBox", `0 0 ${width} ${pairs.length * rowHeight + 4}`);
    svg.setAttribute("aria-label", title);
    svg.replaceChildren();
    pairs.forEach(([name, value], i) => {
      const y = i * rowHeight + 2;
      const text = document.createElementNS(ns, "text");
      text.setAttribute("x", labelWidth - 6);
      text.setAttribute("y", y + 13);
      text.setAttribute("text-anchor", "end");
      text.textContent = name.length > 40 ? name.slice(0, 39) + "…" : name;
      const bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", labelWidth);
      bar.setAttribute("y", y + 2);
      bar.setAttribute("height", rowHeight - 4);
      bar.setAttribute("width", Math.max(1, ((width - labelWidth - 60) * value) / max));
      bar.setAttribute("class", "bar");
      const number = document.createElementNS(ns, "text");
      number.setAttribute("x", labelWidth + ((width - labelWidth - 60) * value) / max + 4);
      number.setAttribute("y", y + 13);
      number.textContent = String(value);
      svg.append(text, bar, number);
    });
    chart.querySelector("figcaption").textContent = title;
    chart.hidden = false;
  }
})();
