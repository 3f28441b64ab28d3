// The report page: unpacks the data, draws the charts with vega-embed, fills the tables and the
// evidence viewer. Errors are counted on <body data-errors> for the browser test.
(function () {
  'use strict';
  var started = performance.now();
  var errors = [];
  function noteError(message) {
    errors.push(String(message));
    document.body.dataset.errors = String(errors.length);
    document.body.dataset.lastError = String(message).slice(0, 300);
  }
  window.addEventListener('error', function (event) { noteError(event.message); });
  window.addEventListener('unhandledrejection', function (event) { noteError(event.reason); });
  var consoleError = console.error;
  console.error = function () {
    noteError(Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };
  document.body.dataset.errors = '0';

  var ROWS_SHOWN = 25;
  var FACTS_SHOWN = 200;
  var number = new Intl.NumberFormat('en-GB', {maximumFractionDigits: 1});

  async function unpack() {
    var packed = document.getElementById('payload').textContent.trim();
    var response = await fetch('data:application/octet-stream;base64,' + packed);
    var stream = response.body.pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).json();
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function isFactColumn(name) { return name === 'fact_id' || /^fact_id_|_fact_id$/.test(name); }

  function display(value) {
    if (value === null || value === undefined || value === '') return '\u2014';
    if (Array.isArray(value)) return value.map(display).join(', ');
    if (typeof value === 'boolean') return value ? 'yes' : 'no';
    if (typeof value === 'number') return number.format(value);
    if (typeof value === 'object') return JSON.stringify(value);
    return String(value);
  }

  // --- CSV ---------------------------------------------------------------------------------
  function csvCell(value) {
    if (value === null || value === undefined) return '';
    var text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    // a spreadsheet would run a cell starting with these as a formula
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function csvOf(table) {
    var lines = [table.columns.map(csvCell).join(',')];
    table.rows.forEach(function (row) { lines.push(row.map(csvCell).join(',')); });
    return lines.join('\r\n') + '\r\n';
  }

  function download(name, table) {
    var blob = new Blob([csvOf(table)], {type: 'text/csv;charset=utf-8'});
    var link = element('a', {href: URL.createObjectURL(blob), download: name + '.csv'});
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  // --- tables ------------------------------------------------------------------------------
  function fillRows(tbody, table, limit) {
    tbody.textContent = '';
    table.rows.slice(0, limit).forEach(function (row) {
      var tr = tbody.insertRow();
      row.forEach(function (value, index) {
        var name = table.columns[index];
        var td = tr.insertCell();
        if (isFactColumn(name) && value) {
          var link = element('a', {href: '#fact=' + value, 'class': 'fact-link'}, 'evidence');
          td.appendChild(link);
        } else {
          td.textContent = display(value);
          if (typeof value === 'number') td.className = 'num';
          else if (typeof value === 'string' && value.length > 80) td.className = 'long';
        }
        if (name === 'note' && value) td.className = 'bad';
      });
    });
  }

  function renderTable(name, table) {
    var host = document.getElementById('table-' + name);
    if (!host) return;
    host.textContent = '';
    if (!table.rows.length) {
      host.appendChild(element('p', {'class': 'empty'}, 'None.'));
      return;
    }
    var scroll = element('div', {'class': 'table-scroll'});
    var tableNode = element('table', {'data-table': name});
    var head = tableNode.createTHead().insertRow();
    table.columns.forEach(function (column) {
      head.appendChild(element('th', {}, isFactColumn(column) ? column.replace('fact_id', 'evidence') : column.replace(/_/g, ' ')));
    });
    var tbody = tableNode.createTBody();
    fillRows(tbody, table, ROWS_SHOWN);
    scroll.appendChild(tableNode);
    host.appendChild(scroll);
    var tools = element('div', {'class': 'table-tools'});
    var shown = Math.min(ROWS_SHOWN, table.rows.length);
    var count = element('span', {}, shown + ' of ' + table.rows.length + ' rows');
    tools.appendChild(count);
    if (table.rows.length > ROWS_SHOWN) {
      var all = element('button', {type: 'button', 'class': 'show-all'}, 'show all');
      all.addEventListener('click', function () {
        fillRows(tbody, table, table.rows.length);
        count.textContent = table.rows.length + ' of ' + table.rows.length + ' rows';
        all.remove();
      });
      tools.appendChild(all);
    }
    var csv = element('button', {type: 'button', 'class': 'csv', 'data-table': name}, 'download CSV');
    csv.addEventListener('click', function () { download(name, table); });
    tools.appendChild(csv);
    host.appendChild(tools);
  }

  // --- charts ------------------------------------------------------------------------------
  function drawChart(name, spec, rows) {
    var host = document.getElementById('chart-' + name);
    var shown = rows.filter(function (row) { return row.shown !== false; });
    if (!shown.length) {
      host.appendChild(element('p', {'class': 'empty'}, 'Nothing to draw.'));
      return Promise.resolve();
    }
    var hidden = rows.length - shown.length;
    spec = Object.assign({}, spec, {datasets: {}});
    spec.datasets[name] = rows;
    return vegaEmbed(host, spec, {actions: false, renderer: 'svg'}).then(function () {
      host.dataset.drawn = String(shown.length);
      if (hidden) {
        host.appendChild(element('p', {'class': 'note'}, hidden + ' points of less-reported ' +
          'series are left out of the chart; the table below has every row.'));
      }
    });
  }

  // --- evidence viewer ---------------------------------------------------------------------
  var facts = [], articles = [], byId = {};
  var FACT = {id: 0, type: 1, summary: 2, article: 3, start: 4, end: 5, before: 6, evidence: 7, after: 8};

  function matches(fact, type, words) {
    if (type && fact[FACT.type] !== type) return false;
    if (!words) return true;
    var article = articles[fact[FACT.article]] || [];
    var haystack = (fact[FACT.evidence] + ' ' + fact[FACT.summary] + ' ' + (article[1] || '') +
      ' ' + (article[2] || '')).toLowerCase();
    return haystack.indexOf(words) !== -1;
  }

  function renderFactRows() {
    var type = document.getElementById('fact-type').value;
    var words = document.getElementById('fact-search').value.trim().toLowerCase();
    var host = document.getElementById('fact-rows');
    var found = facts.filter(function (fact) { return matches(fact, type, words); });
    host.textContent = '';
    var table = element('table', {'data-table': 'facts'});
    var head = table.createTHead().insertRow();
    ['type', 'fact', 'evidence', 'outlet', 'date'].forEach(function (h) { head.appendChild(element('th', {}, h)); });
    var tbody = table.createTBody();
    found.slice(0, FACTS_SHOWN).forEach(function (fact) {
      var article = articles[fact[FACT.article]] || [];
      var tr = tbody.insertRow();
      tr.dataset.fact = fact[FACT.id];
      var tag = element('span', {'class': 'type-tag t-' + fact[FACT.type]}, fact[FACT.type].replace(/_/g, ' '));
      tr.insertCell().appendChild(tag);
      tr.insertCell().textContent = fact[FACT.summary];
      tr.insertCell().textContent = fact[FACT.evidence];
      tr.insertCell().textContent = display(article[2] || article[1]);
      tr.insertCell().textContent = display(article[3]);
      tr.addEventListener('click', function () { location.hash = 'fact=' + fact[FACT.id]; });
    });
    host.appendChild(table);
    var tools = element('div', {'class': 'table-tools'},
      Math.min(FACTS_SHOWN, found.length) + ' of ' + found.length + ' facts shown (narrow with the type or search)');
    var csv = element('button', {type: 'button', 'class': 'csv', 'data-table': 'facts'}, 'download CSV');
    csv.addEventListener('click', function () {
      download('facts', {
        columns: ['fact_id', 'fact_type', 'fact', 'evidence', 'source_file', 'outlet', 'published_date', 'char_start', 'char_end'],
        rows: found.map(function (fact) {
          var article = articles[fact[FACT.article]] || [];
          return [fact[FACT.id], fact[FACT.type], fact[FACT.summary], fact[FACT.evidence],
            article[1], article[2], article[3], fact[FACT.start], fact[FACT.end]];
        })
      });
    });
    tools.appendChild(csv);
    host.appendChild(tools);
  }

  function showFact(id) {
    var fact = byId[id];
    var panel = document.getElementById('fact-panel');
    if (!fact) return;
    var article = articles[fact[FACT.article]] || [];
    panel.textContent = '';
    panel.dataset.fact = id;
    panel.appendChild(element('h4', {}, fact[FACT.type].replace(/_/g, ' ') + ': ' + fact[FACT.summary]));
    var passage = element('p', {'class': 'passage'});
    passage.appendChild(document.createTextNode(fact[FACT.before]));
    passage.appendChild(element('mark', {'class': 'fact t-' + fact[FACT.type], 'data-fact': id}, fact[FACT.evidence]));
    passage.appendChild(document.createTextNode(fact[FACT.after]));
    panel.appendChild(passage);
    var source = element('dl', {'class': 'source'});
    [['outlet', article[2]], ['published', article[3]], ['headline', article[4]],
     ['file', article[1]], ['offsets', fact[FACT.start] + '\u2013' + fact[FACT.end]],
     ['fact id', id]].forEach(function (pair) {
      source.appendChild(element('dt', {}, pair[0]));
      source.appendChild(element('dd', {}, display(pair[1])));
    });
    if (article[5] && /^https?:\/\//.test(article[5])) {
      source.appendChild(element('dt', {}, 'original'));
      var dd = element('dd');
      dd.appendChild(element('a', {href: article[5], rel: 'noreferrer'}, article[5]));
      source.appendChild(dd);
    }
    panel.appendChild(source);
    document.querySelectorAll('#fact-rows tr.active').forEach(function (tr) { tr.classList.remove('active'); });
    var row = document.querySelector('#fact-rows tr[data-fact="' + CSS.escape(id) + '"]');
    if (row) row.classList.add('active');
  }

  function fromHash() {
    var match = /^#fact=(.+)$/.exec(decodeURIComponent(location.hash));
    if (!match) return;
    showFact(match[1]);
    document.getElementById('evidence').scrollIntoView();
  }

  function setUpViewer(payload) {
    facts = payload.facts;
    articles = payload.articles;
    facts.forEach(function (fact) { byId[fact[FACT.id]] = fact; });
    var select = document.getElementById('fact-type');
    Array.from(new Set(facts.map(function (fact) { return fact[FACT.type]; }))).sort().forEach(function (type) {
      select.appendChild(element('option', {value: type}, type.replace(/_/g, ' ')));
    });
    select.addEventListener('change', renderFactRows);
    var timer = null;
    document.getElementById('fact-search').addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(renderFactRows, 200);
    });
    renderFactRows();
    window.addEventListener('hashchange', fromHash);
  }

  function summarise(payload) {
    var run = payload.run, counts = payload.counts;
    var text = counts.articles + ' articles, ' + counts.facts + ' fact mentions, ' + counts.strikes +
      ' strike actions, ' + counts.polls + ' poll questions, ' + counts.conflicts + ' figure conflicts.';
    if (run.run_id) text = 'Run ' + run.run_id + ', finished ' + run.finished_at + '. ' + text;
    document.getElementById('summary').textContent = text;
  }

  async function main() {
    var payload = await unpack();
    var specs = JSON.parse(document.getElementById('chart-specs').textContent);
    summarise(payload);
    Object.keys(payload.tables).forEach(function (name) { renderTable(name, payload.tables[name]); });
    setUpViewer(payload);
    await Promise.all(Object.keys(specs).map(function (name) {
      return drawChart(name, specs[name], payload.datasets[name] || []);
    }));
    fromHash();
    document.body.dataset.readyMs = String(Math.round(performance.now() - started));
    document.body.dataset.status = 'ready';
  }

  main().catch(function (error) {
    noteError(error && error.stack ? error.stack : error);
    document.body.dataset.status = 'failed';
  });
})();
